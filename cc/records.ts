// struct, union and enum definitions and references (layout itself is types.ts layoutRecord).

import { parseAttributes } from "./attributes.ts";
import { parseDeclarator, parseDeclSpec } from "./declarations.ts";
import type { Loc } from "./diagnostics.ts";
import { parseIntConstExpr } from "./expressions.ts";
import { parseStaticAssert } from "./extensions.ts";
import { isKeyword } from "./keywords.ts";
import type { Parser } from "./parse.ts";
import {
  type EnumType,
  intType,
  isRecord,
  layoutRecord,
  type MemberDecl,
  type RecordType,
} from "./types.ts";

export function parseRecord(p: Parser): RecordType {
  const kw = p.next();
  const kind = kw.text as "struct" | "union";
  const attrs = parseAttributes(p);
  let tag: string | undefined;
  let tagLoc = kw.loc;
  if (p.tok.kind === "ident" && !isKeyword(p.tok.text)) {
    tagLoc = p.tok.loc;
    tag = p.next().text;
  }
  if (!p.at("{")) {
    if (tag === undefined) p.fatal(p.tok.loc, `expected '{' ${p.describeHere()}`);
    // `struct S;` alone declares a new tag in this scope; otherwise refer to a visible one.
    const declaresNew = p.at(";");
    const existing = declaresNew ? p.scope.tags.get(tag) : p.lookupTag(tag);
    if (existing) {
      if (existing.kind !== kind) p.fatal(tagLoc, `'${tag}' defined as wrong kind of tag`);
      return existing;
    }
    const r = newRecord(kind, tag);
    p.countIdentifier(tagLoc);
    p.scope.tags.set(tag, r);
    return r;
  }
  let r: RecordType;
  const existing = tag === undefined ? undefined : p.scope.tags.get(tag);
  if (existing && existing.kind === kind && !existing.complete) {
    r = existing;
  } else {
    if (existing) {
      if (existing.kind !== kind) p.error(tagLoc, `'${tag}' defined as wrong kind of tag`);
      else p.error(tagLoc, `redefinition of '${kind} ${tag}'`);
    }
    r = newRecord(kind, tag);
    if (tag !== undefined) {
      p.countIdentifier(tagLoc);
      p.scope.tags.set(tag, r);
    }
  }
  p.pos++; // '{'
  p.enter();
  try {
    const members = parseMembers(p, r);
    parseAttributes(p, attrs);
    layoutRecord(r, members, attrs);
    if (r.size > p.limits.maxObjectBytes) p.fatal(tagLoc, `${kind} is too large`);
  } finally {
    p.leave();
  }
  return r;
}

function newRecord(kind: "struct" | "union", tag: string | undefined): RecordType {
  return { kind, tag, members: [], size: 0, align: 1, complete: false };
}

function parseMembers(p: Parser, r: RecordType): MemberDecl[] {
  const members: MemberDecl[] = [];
  const names = new Set<string>();
  let flexible: Loc | undefined;
  while (!p.eat("}")) {
    if (p.tok.kind === "eof") p.fatal(p.tok.loc, "expected '}' at end of input");
    if (p.tok.text === "_Static_assert" && p.tok.kind === "ident") {
      parseStaticAssert(p);
      continue;
    }
    const ds = parseDeclSpec(p, false);
    if (ds.storage) p.error(ds.loc, "storage class specified for a member");
    if (p.eat(";")) {
      // An anonymous struct/union member; a tagged one alone declares nothing.
      if (isRecord(ds.type) && ds.type.tag === undefined) {
        for (const m of ds.type.members) {
          if (m.name !== undefined) addMemberName(p, names, m.name, ds.loc);
        }
        members.push({ name: undefined, type: ds.type });
      }
      continue;
    }
    for (;;) {
      const d = parseDeclarator(p, ds.type, ds.isConst, "named");
      if (p.at(":")) p.fatal(p.tok.loc, "bit-fields are not supported");
      const name = d.name!;
      const t = d.type;
      if (flexible) p.error(flexible, "flexible array member not at end of struct");
      if (t.kind === "function") p.error(d.loc, `field '${name}' declared as a function`);
      else if (t.kind === "array" && t.length === undefined) flexible = d.loc;
      else if (t.kind === "void" || (isRecord(t) && !t.complete)) {
        p.error(d.loc, `field '${name}' has incomplete type`);
      }
      addMemberName(p, names, name, d.loc);
      const { packed, aligned } = p.attributes;
      members.push({ name, type: t.kind === "function" ? intType : t, packed, aligned });
      if (!p.eat(",")) break;
    }
    p.expect(";");
  }
  if (flexible && (r.kind === "union" || members.length === 1)) {
    p.error(flexible, "flexible array member in otherwise empty struct or union");
  }
  return members;
}

function addMemberName(p: Parser, names: Set<string>, name: string, loc: Loc): void {
  if (names.has(name)) p.error(loc, `duplicate member '${name}'`);
  names.add(name);
}

export function parseEnum(p: Parser): EnumType {
  p.pos++; // enum
  let tag: string | undefined;
  let tagLoc = p.tok.loc;
  if (p.tok.kind === "ident" && !isKeyword(p.tok.text)) {
    tagLoc = p.tok.loc;
    tag = p.next().text;
  }
  if (!p.at("{")) {
    if (tag === undefined) p.fatal(p.tok.loc, `expected '{' ${p.describeHere()}`);
    const existing = p.lookupTag(tag);
    if (existing) {
      if (existing.kind !== "enum") p.fatal(tagLoc, `'${tag}' defined as wrong kind of tag`);
      return existing;
    }
    const e: EnumType = { kind: "enum", tag };
    p.countIdentifier(tagLoc);
    p.scope.tags.set(tag, e);
    return e;
  }
  p.pos++;
  let type: EnumType = { kind: "enum", tag };
  if (tag !== undefined) {
    const existing = p.scope.tags.get(tag);
    if (existing?.kind === "enum") type = existing;
    else if (existing) p.error(tagLoc, `'${tag}' defined as wrong kind of tag`);
    else {
      p.countIdentifier(tagLoc);
      p.scope.tags.set(tag, type);
    }
  }
  let next = 0n;
  while (!p.eat("}")) {
    const name = p.expectIdent();
    if (p.eat("=")) next = parseIntConstExpr(p) ?? next;
    if (p.scope === p.fileScope) p.resolveDeferred(name.text);
    const prev = p.scope.names.get(name.text);
    if (prev) p.error(name.loc, `redefinition of '${name.text}'`);
    p.declareName(name.text, { k: "enum", value: next, loc: name.loc }, name.loc);
    next++;
    if (!p.eat(",")) {
      p.expect("}");
      break;
    }
  }
  return type;
}
