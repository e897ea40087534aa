// struct, union and enum definitions and references (layout itself is types.ts layoutRecord).

import { parseAttributes } from "./attributes.ts";
import { parseDeclarator, parseDeclSpec } from "./declarations.ts";
import type { Loc } from "./diagnostics.ts";
import { parseConstantExpr, parseIntConstExpr } from "./expressions.ts";
import { parseStaticAssert } from "./extensions.ts";
import { isKeyword } from "./keywords.ts";
import type { Parser } from "./parse.ts";
import {
  alignOf,
  bitFieldMaxWidth,
  type EnumType,
  intType,
  isInteger,
  isRecord,
  layoutRecord,
  type MemberDecl,
  type RecordType,
  type Type,
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
      if (p.at(":")) {
        // An unnamed bit-field: padding (`int : 3;`) or the end of a unit (`int : 0;`).
        const width = parseBitWidth(p, ds.type, undefined, ds.loc);
        if (width !== undefined) members.push({ name: undefined, type: ds.type, width });
        if (!p.eat(",")) break;
        continue;
      }
      const d = parseDeclarator(p, ds.type, ds.isConst, "named");
      const name = d.name!;
      if (p.at(":")) {
        const width = parseBitWidth(p, d.type, name, d.loc);
        addMemberName(p, names, name, d.loc);
        parseAttributes(p, p.attributes);
        if (ds.align) p.error(d.loc, `alignment specified for bit-field '${name}'`);
        const { packed, aligned } = p.attributes;
        if (width !== undefined) members.push({ name, type: d.type, packed, aligned, width });
        if (!p.eat(",")) break;
        continue;
      }
      const t = d.type;
      if (flexible) p.error(flexible, "flexible array member not at end of struct");
      if (t.kind === "function") p.error(d.loc, `field '${name}' declared as a function`);
      else if (t.kind === "array" && t.length === undefined) flexible = d.loc;
      else if (t.kind === "void" || (isRecord(t) && !t.complete)) {
        p.error(d.loc, `field '${name}' has incomplete type`);
      }
      addMemberName(p, names, name, d.loc);
      const { packed } = p.attributes;
      const aligned = memberAlignment(p, ds.align, p.attributes.aligned, t, name, d.loc);
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

/**
 * bit-field-width = ":" const-expr
 * Checked as gcc does; undefined (after an error) when the field cannot be laid out.
 */
function parseBitWidth(p: Parser, t: Type, name: string | undefined, loc: Loc): number | undefined {
  p.pos++; // ':'
  const at = loc; // gcc points at the field's name, or an unnamed one's type
  const shown = name ?? "<anonymous>";
  const errors = p.diags.errorCount;
  const e = parseConstantExpr(p);
  const max = bitFieldMaxWidth(t);
  if (max === undefined) {
    p.error(at, `bit-field '${shown}' has invalid type`);
    return undefined;
  }
  if (e.k !== "int" || !isInteger(e.type)) {
    if (p.diags.errorCount === errors) {
      p.error(at, `bit-field '${shown}' width not an integer constant`);
    }
    return undefined;
  }
  const w = e.value;
  if (w < 0n) p.error(at, `negative width in bit-field '${shown}'`);
  else if (w === 0n && name !== undefined) p.error(at, `zero width for bit-field '${shown}'`);
  else if (w > BigInt(max)) p.error(at, `width of '${shown}' exceeds its type`);
  else return Number(w);
  return undefined;
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
  let negative = false;
  while (!p.eat("}")) {
    const name = p.expectIdent();
    if (p.eat("=")) next = parseIntConstExpr(p) ?? next;
    if (next < 0n) negative = true;
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
  type.unsigned = !negative;
  return type;
}

/** A member's `aligned` attribute combined with `_Alignas`, which cannot go below the type's
 *  own alignment (C11 6.7.5p4; the attribute can, when packed). */
function memberAlignment(
  p: Parser,
  alignas: number | undefined,
  attribute: number | undefined,
  type: Type,
  name: string,
  loc: Loc,
): number | undefined {
  if (!alignas) return attribute;
  if (type.kind !== "function" && alignas < alignOf(type)) {
    p.error(loc, `'_Alignas' specifiers cannot reduce alignment of '${name}'`);
    return attribute;
  }
  return Math.max(alignas, attribute ?? 0);
}
