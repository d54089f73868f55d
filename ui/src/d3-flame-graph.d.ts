declare module 'd3-flame-graph' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const flamegraph: () => any;
  export default flamegraph;
}
declare module 'd3-selection' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export function select(el: Element): any;
}
