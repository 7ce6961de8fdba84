export default async function globalTeardown() {
  await new Promise((resolve) => globalThis.__DYNALITE__?.close(resolve) ?? resolve());
}
