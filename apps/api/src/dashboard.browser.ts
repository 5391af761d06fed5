/// <reference lib="dom" />
// The dashboard's browser entry: tools/workspace/build.mjs bundles it into public/dashboard.js beside main.js.
import { startDashboard } from '@ecs-state/dashboard';

startDashboard(document.body);
