#!/usr/bin/env node
// `ecs-state`: the root package.json's bin, so `npx ecs-state …` runs it anywhere in the
// repository once the dependencies are installed. It runs the TypeScript sources
// through tsx (a devDependency of the workspace) rather than a built bundle: there is no
// build step to forget, and the command can never run code older than the checkout.
'use strict';
const { join } = require('node:path');

let tsx;
try {
  tsx = require('tsx/cjs/api');
} catch {
  process.stderr.write('ecs-state: tsx is not installed: run `npm ci` in the repository (with its devDependencies)\n');
  process.exit(2);
}
// tsx reads the path aliases (@ecs-state/*) from this tsconfig, whatever the working directory.
process.env.TSX_TSCONFIG_PATH = join(__dirname, '..', 'tsconfig.json');
tsx.register();
require('../src/main.ts');
