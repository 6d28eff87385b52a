export const PACKAGE_NAME = '@callwire/realtime-client';
