// hyparquet (the Parquet reader) and its decompressors ship ESM only: let ts-jest transpile them to CommonJS for the tests.
module.exports = require('../../jest.preset.js')(__dirname, {
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { tsconfig: require('node:path').join(__dirname, '../../tsconfig.json'), isolatedModules: true },
    ],
    '^.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer|hyparquet-compressors|hysnappy)/)'],
});
