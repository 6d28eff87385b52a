export const PACKAGE_NAME = '@callwire/rest-client';
