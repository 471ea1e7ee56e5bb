import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computerNameProblems, renderUnattend, xmlEscape } from "../../../components/scripts/unattend";
import { elements, parseXml } from "./xml";

const NS = "urn:schemas-microsoft-com:unattend";

describe("renderUnattend", () => {
  const xml = renderUnattend({ computerName: "otwin1", adminPassword: "p<&>'\"ss" });
  const root = parseXml(xml);

  it("is well-formed XML in the unattend namespace with both passes", () => {
    expect(root.ns).toBe(NS);
    expect(root.name).toBe("unattend");
    expect(root.children.map((c) => c.attrs.pass)).toEqual(["specialize", "oobeSystem"]);
  });

  it("gives every component the attributes Windows Setup matches on", () => {
    const components = elements(root).filter((e) => e.name === "component");
    expect(components.length).toBe(3);
    for (const c of components) {
      expect(c.ns).toBe(NS);
      expect(c.attrs).toMatchObject({
        processorArchitecture: "amd64",
        publicKeyToken: "31bf3856ad364e35",
        language: "neutral",
        versionScope: "nonSxS",
      });
    }
  });

  it("carries the computer name, UTC, the password (escaped) and the first-boot command", () => {
    const text = (name: string) => elements(root).filter((e) => e.name === name).map((e) => e.text.trim());
    expect(text("ComputerName")).toEqual(["otwin1"]);
    expect(text("TimeZone")).toEqual(["UTC", "UTC"]);
    expect(text("Value")).toEqual(["p<&>'\"ss"]);
    expect(text("SkipMachineOOBE")).toEqual(["true"]);
    expect(text("Path")[0]).toContain("-File C:\\Windows\\Setup\\Scripts\\opentwin-firstboot.ps1");
    expect(text("Path")[0]!.length).toBeLessThanOrEqual(259);
  });

  it("keeps any password intact through XML", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1 }).filter((s) => !/[\u0000-\u001f\ufffe\uffff]/.test(s)), (password) => {
        const parsed = parseXml(renderUnattend({ computerName: "n1", adminPassword: password }));
        const value = elements(parsed).find((e) => e.name === "Value");
        expect(value?.text).toBe(password);
      }),
      { numRuns: 15, examples: [["line1\r\nline2"], [" padded "]] },
    );
  }, 30_000);

  it("refuses names Windows refuses", () => {
    expect(() => renderUnattend({ computerName: "a-very-long-name-1", adminPassword: "x" })).toThrow(/1 to 15/);
    expect(computerNameProblems("12345")).toHaveLength(1);
    expect(computerNameProblems("bad_name")).toHaveLength(1);
    expect(() => renderUnattend({ computerName: "ok", adminPassword: "a\u0001" })).toThrow(/control character/);
  });

  it("escapes the five XML specials", () => {
    expect(xmlEscape(`<a href="x">&'\r`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#13;");
  });
});
