import { BlockList, isIP } from 'node:net';

/**
 * Which addresses the server's outbound requests (webhooks, SMS callbacks, call-flow URLs) may
 * reach. Link-local and cloud metadata addresses are never reachable: a URL a client gives must
 * not turn the server into a way to read its own cloud credentials. Loopback and private networks
 * stay reachable by default, because local development posts to `localhost`; `blockPrivateNetwork`
 * refuses them too, for a server reachable from outside.
 */
export interface AddressPolicy {
  /** Also refuse loopback, private, shared (CGNAT) and unique-local addresses. @default false */
  blockPrivateNetwork: boolean;
}

const NEVER = new BlockList();
NEVER.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local: 169.254.169.254 is AWS, GCP, Azure, OpenStack metadata
NEVER.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
NEVER.addSubnet('0.0.0.0', 8, 'ipv4'); // "this host": connects to the server itself on some systems
NEVER.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
NEVER.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved and broadcast
NEVER.addSubnet('fe80::', 10, 'ipv6'); // link-local
NEVER.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
NEVER.addAddress('::', 'ipv6'); // unspecified
NEVER.addSubnet('ff00::', 8, 'ipv6'); // multicast
NEVER.addSubnet('64:ff9b::a9fe:0', 112, 'ipv6'); // NAT64 of 169.254.0.0/16

const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // shared address space (carrier-grade NAT)
PRIVATE.addSubnet('198.18.0.0', 15, 'ipv4'); // benchmarking networks
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6'); // unique local

/** Names that lead to a metadata service without any address in them. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const LINK_LOCAL = 'a link-local or cloud metadata address';
const PRIVATE_NETWORK = 'a loopback or private network address';

/** Why an IP address may not be reached, or undefined. IPv4-mapped IPv6 counts as its IPv4. */
export function addressRefusal(address: string, policy: AddressPolicy): string | undefined {
  const bare = address.startsWith('[') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (NEVER.check(bare, type)) return LINK_LOCAL;
  if (policy.blockPrivateNetwork && PRIVATE.check(bare, type)) return PRIVATE_NETWORK;
  return undefined;
}

/**
 * Why a URL's host may not be reached, judged from the URL alone (literal addresses and known
 * names), or undefined. Names are checked again, by their addresses, when the request is made.
 */
export function hostRefusal(hostname: string, policy: AddressPolicy): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return addressRefusal(bare, policy);
  if (METADATA_NAMES.has(host)) return LINK_LOCAL;
  if (policy.blockPrivateNetwork && (host === 'localhost' || host.endsWith('.localhost')))
    return PRIVATE_NETWORK;
  return undefined;
}
