export const PACKAGE_NAME = '@callwire/demo-server';
