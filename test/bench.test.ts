// Smoke-runs the benchmark suite (`--quick`) into a scratch directory and checks that the
// results are complete and well formed. No timing assertions: the machine may be busy.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { benchGroups } from "../bench/groups.ts";
import { runBenchmarks } from "../bench/run.ts";
import type { Stat } from "../bench/stats.ts";
import type { BenchResults, Cell } from "../bench/types.ts";

function isStat(c: Cell): c is Stat {
  return typeof c === "object" && c !== null;
}

test("npm run bench -- --quick writes complete, well-formed results", {
  timeout: 240_000,
}, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kplug-bench-"));
  try {
    const { markdown, json } = await runBenchmarks({ quick: true, out: dir, log: () => {} });
    assert.equal(markdown, path.join(dir, "BENCHMARKS.md"));
    assert.ok(existsSync(json), "latest.json written");
    const results = JSON.parse(readFileSync(json, "utf8")) as BenchResults;

    assert.equal(results.quick, true);
    assert.ok(!Number.isNaN(Date.parse(results.date)), "ISO date");
    assert.match(results.machine.cpu, /\S/);
    assert.ok(results.machine.cores >= 1);
    assert.match(results.machine.node, /^v\d+/);
    assert.deepEqual(
      results.groups.map((g) => g.id),
      benchGroups.map((g) => g.id),
      "every registered group reports, in order",
    );

    for (const g of results.groups) {
      assert.ok(["ok", "partial", "unavailable"].includes(g.status), `${g.id}: status`);
      // The web-server group belongs to another layer and may not exist yet; everywhere else
      // only a missing external tool may leave something unmeasured, or (isolation) a server
      // feature of issue 10 this checkout does not have yet.
      if (g.id !== "server") {
        const excuse =
          g.id === "isolation" ? /not installed|unsupported by this server/ : /not installed/;
        for (const u of g.unavailable) {
          assert.match(u.reason, excuse, `${g.id}: ${u.part} unavailable: ${u.reason}`);
        }
        assert.ok(g.tables.length > 0, `${g.id}: has tables`);
      }
      for (const t of g.tables) {
        assert.ok(t.rows.length > 0, `${g.id}/${t.id}: rows`);
        for (const row of t.rows) {
          assert.equal(row.length, t.columns.length, `${g.id}/${t.id}: row width`);
          for (const cell of row) {
            if (typeof cell === "number")
              assert.ok(Number.isFinite(cell), `${t.id}: finite number`);
            if (isStat(cell)) {
              assert.ok(cell.samples >= 1 && cell.batch >= 1, `${t.id}: sample counts`);
              assert.ok(cell.min <= cell.q1 && cell.q1 <= cell.median, `${t.id}: quartile order`);
              assert.ok(cell.median <= cell.q3 && cell.q3 <= cell.max, `${t.id}: quartile order`);
              assert.ok(cell.min >= 0 && Number.isFinite(cell.max), `${t.id}: finite times`);
            }
          }
        }
      }
      for (const c of g.charts) {
        const svg = readFileSync(path.join(dir, `${c.id}.svg`), "utf8");
        assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `${c.id}.svg header`);
        assert.match(svg.trim(), /<\/svg>$/, `${c.id}.svg closed`);
        assert.doesNotMatch(svg, /NaN|undefined|Infinity/, `${c.id}.svg has only numbers`);
        assert.ok(
          c.series.every((s) => s.points.length > 0),
          `${c.id}: points`,
        );
      }
    }
    const summary = results.groups.flatMap((g) => g.summary);
    for (const measure of ["Upcall", "Code generation", "Link", "Unlink", "Kernel suite"]) {
      const entry = summary.find((s) => s.measure.startsWith(measure));
      assert.ok(entry, `summary has ${measure}`);
      assert.ok(entry.kplug !== null && Number.isFinite(entry.kplug), `${measure}: kplug figure`);
    }

    // Isolation: the good client alone, then beside each of the four hostile cases, as ratios.
    const isolation = results.groups.find((g) => g.id === "isolation")!;
    const cases = isolation.tables.find((t) => t.id === "isolation-good-client");
    assert.ok(cases, "isolation: the good client's table");
    assert.deepEqual(
      cases.rows.map((r) => String(r[0]).slice(0, 10)),
      ["alone (med", "beside (a)", "beside (b)", "beside (c)", "beside (d)"],
    );
    for (const row of cases.rows.slice(1)) {
      for (const ratio of [row[2], row[4]])
        assert.ok(typeof ratio === "number" && ratio >= 0, `isolation: ratio in ${row[0]}`);
    }
    for (const measure of ["isolation: good client's requests/s", "isolation: good client's p99"]) {
      const entry = summary.find((s) => s.measure.startsWith(measure));
      assert.ok(entry?.kplug !== null && Number.isFinite(entry?.kplug), `summary: ${measure}`);
    }

    // Store: start-up at each stored-plugin count for both stores (PostgreSQL when it could be
    // started) reuses the stored modules; propagation and the fleet need PostgreSQL.
    const store = results.groups.find((g) => g.id === "store")!;
    const withPg = !store.unavailable.some((u) => /PostgreSQL/.test(u.reason));
    const startup = store.tables.find((t) => t.id === "store-startup");
    assert.ok(startup, "store: the start-up table");
    const kinds = new Set(startup.rows.map((r) => r[0]));
    assert.deepEqual([...kinds], withPg ? ["data directory", "PostgreSQL"] : ["data directory"]);
    for (const row of startup.rows)
      assert.equal(row[3], 0, `store: ${row[0]} recompiled at start-up`);
    if (withPg) {
      const prop = store.tables.find((t) => t.id === "store-propagation");
      assert.ok(prop && typeof prop.rows[0][2] === "number", "store: propagation p99");
    }

    const md = readFileSync(markdown, "utf8");
    assert.match(md, /^# kplug benchmarks\n/);
    assert.match(md, /npm run bench/, "records the command");
    assert.ok(md.includes(results.machine.cpu), "records the machine");
    const summaryAt = md.indexOf("## Summary");
    assert.ok(summaryAt > 0 && summaryAt < md.indexOf("\n## ", summaryAt + 1), "summary first");
    for (const g of results.groups) assert.ok(md.includes(`## ${g.title}`), `section ${g.id}`);
    for (const m of md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
      assert.ok(existsSync(path.join(dir, m[1])), `chart link ${m[1]} resolves`);
    }
    assert.doesNotMatch(md, /NaN|undefined|\[object Object\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
