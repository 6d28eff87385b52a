export const PACKAGE_NAME = '@callwire/types';
