/**
 * Startup probe: how long Node + tsx take before the first line of a script runs, and how long
 * loading the server's module graph takes (TypeScript through tsx, dependencies). Prints JSON.
 * performance.now() counts from the process's time origin, i.e. roughly from spawn.
 */
const atScriptStart = performance.now();
await import('../src/app.js');
await import('../src/main.js');
const afterImport = performance.now();
console.log(JSON.stringify({ atScriptStart, importMs: afterImport - atScriptStart }));
