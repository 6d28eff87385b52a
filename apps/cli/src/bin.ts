#!/usr/bin/env node
console.log('callwire');
