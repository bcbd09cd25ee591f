// openapi-typescript builds its output with the TypeScript JS API, which TypeScript 7 (native Go)
// no longer exposes: it gets TypeScript 6 of its own, while the project compiles with 7.
module.exports = {
  hooks: {
    readPackage(manifest) {
      if (manifest.name === 'openapi-typescript') {
        delete manifest.peerDependencies?.typescript;
        manifest.dependencies = { ...manifest.dependencies, typescript: '6.0.3' };
      }
      return manifest;
    },
  },
};
