import { describe, expect, it } from "vitest";
import { dayCount, listDays, ReportQuerySchema } from "./report-query.ts";
import { csvCell } from "./summary-csv.ts";

describe("csvCell", () => {
  it("quotes what needs quoting and leaves the rest", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(12.5)).toBe("12.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("defuses cells a spreadsheet would run as a formula (customer texts end up here)", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1 555")).toBe("'+1 555");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    // Numbers are ours, not customer text: a negative number stays a number.
    expect(csvCell(-2)).toBe("-2");
  });
});

describe("report query", () => {
  it("lists every day of the range, across month and leap-day edges", () => {
    expect(listDays("2024-02-28", "2024-03-01")).toEqual(["2024-02-28", "2024-02-29", "2024-03-01"]);
    expect(dayCount("2024-01-01", "2024-12-31")).toBe(366);
    // Days are calendar dates: a DST switch in the report's zone does not add or drop one.
    expect(listDays("2024-03-30", "2024-04-01")).toHaveLength(3);
  });

  it("defaults the zone and the list length", () => {
    expect(ReportQuerySchema.parse({ from: "2024-01-01", to: "2024-01-01" })).toEqual({
      from: "2024-01-01",
      to: "2024-01-01",
      tz: "UTC",
      limit: 10,
    });
  });
});
