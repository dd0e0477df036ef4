import { describe, expect, it } from "vitest";
import {
  amountToMinorUnits,
  currencyExponent,
  decimalToMinorUnits,
  normaliseDecimal,
  parseBoolean,
  parseCalendarDate,
  parseDateTime,
  parseInteger,
} from "./report-values";

describe("decimalToMinorUnits", () => {
  it("converts decimal strings to integer cents without float error", () => {
    expect(decimalToMinorUnits("19.99")).toBe(1999);
    expect(decimalToMinorUnits("0.29")).toBe(29); // 0.29*100 = 28.999999999999996 in floats
    expect(decimalToMinorUnits("1.005")).toBe(101); // half away from zero on the text, not the float
    expect(decimalToMinorUnits("-1.005")).toBe(-101);
    expect(decimalToMinorUnits("-9.08")).toBe(-908);
    expect(decimalToMinorUnits("12")).toBe(1200);
    expect(decimalToMinorUnits(".5")).toBe(50);
    expect(decimalToMinorUnits("-0.00")).toBe(0);
    expect(decimalToMinorUnits("1.004")).toBe(100);
  });

  it("reads EU and grouped spellings", () => {
    expect(decimalToMinorUnits("1.234,56")).toBe(123456);
    expect(decimalToMinorUnits("12,34")).toBe(1234);
    expect(decimalToMinorUnits("1,234.56")).toBe(123456);
    expect(decimalToMinorUnits("1,234")).toBe(123400);
    expect(decimalToMinorUnits("(4.50)")).toBe(-450);
  });

  it("honours zero- and three-decimal currencies", () => {
    expect(currencyExponent("JPY")).toBe(0);
    expect(decimalToMinorUnits("1500", currencyExponent("JPY"))).toBe(1500);
    expect(decimalToMinorUnits("1.2345", currencyExponent("KWD"))).toBe(1235);
    expect(amountToMinorUnits(-9.08, "USD")).toBe(-908);
    expect(amountToMinorUnits(0.1 + 0.2, "USD")).toBe(30);
    expect(amountToMinorUnits("3.10", "EUR")).toBe(310);
  });

  it("rejects non-numbers", () => {
    expect(() => decimalToMinorUnits("abc")).toThrow(RangeError);
    expect(() => decimalToMinorUnits("")).toThrow(RangeError);
    expect(() => decimalToMinorUnits("1.2.3")).toThrow(RangeError);
    expect(normaliseDecimal("-")).toBeNull();
  });
});

describe("dates", () => {
  it("turns Amazon's date-time spellings into UTC ISO strings", () => {
    expect(parseDateTime("2026-07-06T00:00:00-0700")).toBe("2026-07-06T07:00:00.000Z");
    expect(parseDateTime("2022-07-18T18:52:47+00:00")).toBe("2022-07-18T18:52:47.000Z");
    expect(parseDateTime("2026-01-05 12:34:56 UTC")).toBe("2026-01-05T12:34:56.000Z");
    expect(parseDateTime("23.07.2026 18:21:50 UTC")).toBe("2026-07-23T18:21:50.000Z");
    expect(parseDateTime("2026-01-05")).toBe("2026-01-05T00:00:00.000Z");
    expect(parseDateTime("2026-03-01T10:00:00Z")).toBe("2026-03-01T10:00:00.000Z");
    expect(parseDateTime("07/06/2026 11:15:00 PM PDT")).toBe("2026-07-07T06:15:00.000Z");
    expect(parseDateTime("2026-03-01T10:00:00.123+01:00")).toBe("2026-03-01T09:00:00.123Z");
  });

  it("rejects impossible or unknown dates", () => {
    expect(parseDateTime("2026-02-30")).toBeNull();
    expect(parseDateTime("13/01/2026")).toBeNull();
    expect(parseDateTime("yesterday")).toBeNull();
    expect(parseDateTime("2026-01-05 12:00:00 XYZW")).toBeNull();
  });

  it("keeps calendar dates as printed, with MDY or DMY slashes and monthly periods", () => {
    expect(parseCalendarDate("07/06/2026")).toBe("2026-07-06");
    expect(parseCalendarDate("07/06/2026", "DMY")).toBe("2026-06-07");
    expect(parseCalendarDate("06/2026")).toBe("2026-06-01");
    expect(parseCalendarDate("2026-07-06")).toBe("2026-07-06");
    expect(parseCalendarDate("13/2026")).toBeNull();
    expect(parseCalendarDate("2026-05")).toBe("2026-05-01");
  });
});

describe("integers and flags", () => {
  it("parses signed integers and refuses fractions", () => {
    expect(parseInteger("-3")).toBe(-3);
    expect(parseInteger("4.0")).toBe(4);
    expect(parseInteger("1,200")).toBe(1200);
    expect(parseInteger("1.5")).toBeNull();
    expect(parseInteger("x")).toBeNull();
  });
  it("parses Yes/No flags", () => {
    expect(parseBoolean("Yes")).toBe(true);
    expect(parseBoolean("false")).toBe(false);
    expect(parseBoolean("maybe")).toBeNull();
  });
});
