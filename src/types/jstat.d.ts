// jstat ships no types; this declares the part verdict uses.
declare module 'jstat' {
  interface StudentT {
    inv(p: number, df: number): number;
    cdf(t: number, df: number): number;
  }
  const jStatModule: { jStat: { studentt: StudentT } };
  export default jStatModule;
}
