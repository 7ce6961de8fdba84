// The test command runs on the Lambda runtime's Node (24). npm scripts put node_modules/.bin first on
// PATH, where the node-linux-* optional dependency installs an official Node 24 binary.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`afterchat needs Node 24 for its tests (found ${process.version} at ${process.execPath}).`);
  console.error('Run `npm ci` on Linux x64/arm64 to get node_modules/.bin/node, or install Node 24.');
  process.exit(1);
}
console.log(`node ${process.version} (${process.execPath})`);
