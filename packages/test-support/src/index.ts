export { docker, requireDocker, removeContainers, uniqueName } from './docker.js';
export { BUSYBOX_IMAGE, NODE_IMAGE, ensureBaseImages, makeAppImage } from './images.js';
export { getFreePort, waitFor } from './ports.js';
export { startRegistry } from './registry.js';
export type { TestRegistry } from './registry.js';
export { PACK_STANDIN_BIN, packStandinEnv } from './pack-standin.js';
export { startTokenServer, startTokenRegistry } from './token-server.js';
export type { TestTokenServer } from './token-server.js';
