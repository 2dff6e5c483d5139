/**
 * A protobuf JSON `Duration` as Google writes `RetryInfo.retryDelay`: seconds with up to nine
 * decimals and an `s` ("1s", "36.5s", "25.465784708s"), per protobuf.dev/reference/protobuf/google.protobuf
 * ("Duration ... JSON ... seconds with fractional part followed by s"). Undefined for anything else.
 */
export function parseProtoDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d{1,9})?)s$/.exec(text.trim());
  return match ? Number.parseFloat(match[1]!) * 1000 : undefined;
}
