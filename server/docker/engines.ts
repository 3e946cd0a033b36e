// Temporary: the old names of container-clients.ts, until sessions/ and provisioning/ import
// ContainerClients from there. Delete once nothing imports this file.
export { ContainerClients as Engines, type EngineName } from './container-clients.ts';
