#!/usr/bin/env node
// The CLI is written in TypeScript; tsx loads it so a clone works without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../generator/cli.ts');
