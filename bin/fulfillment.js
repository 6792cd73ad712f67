#!/usr/bin/env node
// The installed command: runs the compiled CLI (npm install builds dist/ through the prepare script).
import "../dist/app/cli/fulfillment.js";
