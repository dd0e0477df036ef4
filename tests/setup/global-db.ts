// Placeholder until the embedded-database test setup lands (foundation work in progress).
export default async function setup(): Promise<void> {}
