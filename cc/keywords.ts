// The C keywords this compiler knows, written once. The lexer leaves keywords as identifiers;
// the parser asks this table whether a word is a keyword, whether it can start declaration
// specifiers, and whether it is a type qualifier.

/** `qualifier`s are declaration specifiers too; `other` keywords never start a declaration. */
export type KeywordRole = "qualifier" | "specifier" | "other";

const QUALIFIERS = [
  "const",
  "volatile",
  "restrict",
  "__const",
  "__restrict",
  "__restrict__",
  "__volatile__",
];

/** The arithmetic type keywords (and void): what a header prototype's types are made of. */
export const BASIC_TYPE_KEYWORDS = [
  "void",
  "char",
  "short",
  "int",
  "long",
  "float",
  "double",
  "signed",
  "unsigned",
  "_Bool",
] as const;

const SPECIFIERS = [
  ...BASIC_TYPE_KEYWORDS,
  // other types
  "bool",
  "_Complex",
  "_Imaginary",
  "__signed__",
  "__kplug_v128",
  "struct",
  "union",
  "enum",
  // storage classes and function specifiers
  "typedef",
  "static",
  "extern",
  "auto",
  "register",
  "_Thread_local",
  "inline",
  "__inline",
  "__inline__",
  "_Noreturn",
  "_Alignas",
  // extensions accepted and ignored in declarations
  "__attribute__",
  "__extension__",
  "typeof",
  "__typeof__",
  "__typeof",
];

const OTHERS = [
  "if",
  "else",
  "do",
  "while",
  "for",
  "switch",
  "case",
  "default",
  "break",
  "continue",
  "return",
  "goto",
  "sizeof",
  "_Alignof",
  "__alignof__",
  "_Static_assert",
  "_Generic",
];

const KEYWORDS = new Map<string, KeywordRole>([
  ...QUALIFIERS.map((k) => [k, "qualifier"] as const),
  ...SPECIFIERS.map((k) => [k, "specifier"] as const),
  ...OTHERS.map((k) => [k, "other"] as const),
]);

export function isKeyword(s: string): boolean {
  return KEYWORDS.has(s);
}

/** Can `s` start declaration specifiers (a type, storage class, qualifier, ...)? */
export function isSpecifierKeyword(s: string): boolean {
  const role = KEYWORDS.get(s);
  return role !== undefined && role !== "other";
}

export function isQualifier(s: string): boolean {
  return KEYWORDS.get(s) === "qualifier";
}
