#!/usr/bin/env node
// `ecs-state`: the root package.json's bin, linked into node_modules/.bin by npm install,
// so `npx ecs-state …` works anywhere in the repository. It runs the TypeScript sources
// through tsx (a devDependency of the workspace) rather than a built bundle: there is no
// build step to forget, and the command can never run code older than the checkout.
'use strict';
const { join } = require('node:path');

// tsx reads the path aliases (@ecs-state/*) from this tsconfig, whatever the working directory.
process.env.TSX_TSCONFIG_PATH ??= join(__dirname, '..', 'tsconfig.json');
require('tsx/cjs/api').register();
require('../src/main.ts');
