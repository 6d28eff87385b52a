export const PACKAGE_NAME = '@callwire/auth-core';
