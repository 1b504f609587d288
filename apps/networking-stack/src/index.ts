// The networking stack a TAP environment references (`organization/networking-stack/<env>`): its outputs are the
// contract read by @tap/networking's NetworkingStack.
import { readNetworkConfig } from './config';
import { TapVpc } from './vpc';

const config = readNetworkConfig();
const network = new TapVpc('network', config);

export const vpcId = network.vpcId;
export const vpcCidr = network.vpcCidr;
export const privateSubnetIds = network.privateSubnetIds;
export const publicSubnetIds = network.publicSubnetIds;
export const availabilityZones = network.availabilityZones;
export const environment = config.environment;
