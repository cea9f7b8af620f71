// Ofcom's ranges reserved for TV and radio drama ("07700 900123"): never allocated, so libphonenumber calls them
// invalid, but they are what a real number looks like to a reader and what test messages and training material use.
// Source: Ofcom, "Telephone numbers for use in TV and radio drama programmes"
// (https://www.ofcom.org.uk/phones-and-broadband/phone-numbers/numbers-for-drama).

const RANGES: readonly { prefix: string; length: number; type: string }[] = [
  { prefix: '447700900', length: 12, type: 'mobile' },
  { prefix: '448081570', length: 12, type: 'toll-free' },
  { prefix: '4490987900', length: 12, type: 'premium-rate' },
  { prefix: '443069990', length: 12, type: 'uan' },
  { prefix: '441632960', length: 12, type: 'fixed-line' },
  { prefix: '4420794600', length: 12, type: 'fixed-line' },
  { prefix: '442896496', length: 12, type: 'fixed-line' },
  { prefix: '442920180', length: 12, type: 'fixed-line' },
  ...['113', '114', '115', '116', '117', '118', '121', '131', '141', '151', '161'].map((area) => ({
    prefix: `44${area}4960`,
    length: 12,
    type: 'fixed-line',
  })),
  { prefix: '441914980', length: 12, type: 'fixed-line' },
];

/** The number type of a drama number given as E.164 digits without '+', or undefined when it is not one. */
export function dramaNumberType(e164Digits: string): string | undefined {
  for (const range of RANGES) {
    if (e164Digits.length === range.length && e164Digits.startsWith(range.prefix)) return range.type;
  }
  return undefined;
}
