/**
 * The declarative mapping from an ERP's JSON answer onto our types. A mapping names, for each field of our type,
 * where to find it in the answer:
 *   "data.order.id"                               a dotted path (array indices as numbers; "" is the value itself)
 *   { path, map: { open: "pending" }, default }   a value translated through a table, with a fallback
 *   { const: "USD" }                              a constant
 *   { path, count: true }                         the length of an array
 *   { path, pluck: "sku" }                        an array of scalars taken from an array of objects
 *   { path, each: { ...mapping } }                an array of objects, each mapped
 *   { path?, fields: { ...mapping } }             a nested object
 * The result is then validated with our zod schema: anything that does not fit is a malformed answer.
 * `checkMapping` validates a mapping against the target schema when the integration is saved.
 */
import { z } from "zod";

export const PathSchema = z
  .string()
  .max(300)
  .regex(/^$|^[\w$@-]+(\.[\w$@-]+)*$/, "a path is dot-separated keys or indices, e.g. data.items.0.sku");

const Scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

export type FieldSpec =
  | string
  | {
      path?: string;
      map?: Record<string, string>;
      default?: z.infer<typeof Scalar>;
      const?: z.infer<typeof Scalar>;
      count?: boolean;
      pluck?: string;
      each?: Mapping;
      fields?: Mapping;
    };
export type Mapping = { [field: string]: FieldSpec };

export const FieldSpecSchema: z.ZodType<FieldSpec> = z.lazy(() =>
  z.union([
    PathSchema,
    z.strictObject({
      path: PathSchema.optional(),
      map: z.record(z.string().max(100), z.string().max(100)).optional(),
      default: Scalar.optional(),
      const: Scalar.optional(),
      count: z.boolean().optional(),
      pluck: PathSchema.optional(),
      each: MappingSchema.optional(),
      fields: MappingSchema.optional(),
    }),
  ]),
);
export const MappingSchema: z.ZodType<Mapping> = z.lazy(() => z.record(z.string().regex(/^\w{1,64}$/), FieldSpecSchema));

/** Reads a dotted path; undefined when any step is missing. */
export function readPath(value: unknown, path: string): unknown {
  if (path === "") return value;
  let cur: unknown = value;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Applies a mapping to one source object (before schema validation). */
export function applyMapping(source: unknown, mapping: Mapping): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(mapping)) {
    const v = applyField(source, spec);
    if (v !== undefined) out[field] = v;
  }
  return out;
}

function applyField(source: unknown, spec: FieldSpec): unknown {
  if (typeof spec === "string") return nullToUndefined(readPath(source, spec));
  if ("const" in spec && spec.const !== undefined) return spec.const;
  const v = spec.path === undefined ? source : readPath(source, spec.path);
  if (spec.fields) return v === undefined || v === null ? undefined : applyMapping(v, spec.fields);
  if (spec.count) return Array.isArray(v) ? v.length : undefined;
  if (spec.each) return Array.isArray(v) ? v.map((x) => applyMapping(x, spec.each as Mapping)) : undefined;
  if (spec.pluck !== undefined) return Array.isArray(v) ? v.map((x) => scalarString(readPath(x, spec.pluck as string))) : undefined;
  if (v === undefined || v === null) return spec.default ?? undefined;
  if (spec.map) {
    const key = String(v);
    return Object.hasOwn(spec.map, key) ? spec.map[key] : v;
  }
  return v;
}

function scalarString(v: unknown): unknown {
  return typeof v === "number" ? String(v) : v;
}

function nullToUndefined(v: unknown): unknown {
  return v === null ? undefined : v;
}

/** Problems with a mapping for `schema` (an object schema): unknown fields, required fields left unmapped. */
export function checkMapping(mapping: Mapping, schema: z.ZodType, at: string): string[] {
  const shape = objectShape(schema);
  if (!shape) return [`${at}: cannot map onto this type`];
  const problems: string[] = [];
  for (const [field, spec] of Object.entries(mapping)) {
    const target = shape[field];
    if (!target) {
      problems.push(`${at}.${field}: unknown field (known: ${Object.keys(shape).join(", ")})`);
      continue;
    }
    if (typeof spec === "string") continue;
    const nested = spec.each ? arrayElement(target) : spec.fields ? target : undefined;
    if (spec.each && !nested) problems.push(`${at}.${field}: "each" only applies to a list of objects`);
    if (nested && (spec.each || spec.fields))
      problems.push(...checkMapping((spec.each ?? spec.fields) as Mapping, nested, `${at}.${field}`));
    const kinds = ["const", "count", "pluck", "each", "fields"].filter((k) => (spec as Record<string, unknown>)[k] !== undefined);
    if (kinds.length > 1) problems.push(`${at}.${field}: use only one of ${kinds.join(", ")}`);
  }
  for (const [field, target] of Object.entries(shape)) {
    if (!(field in mapping) && !target.safeParse(undefined).success) problems.push(`${at}.${field}: required field is not mapped`);
  }
  return problems;
}

type AnyDef = { innerType?: z.ZodType; type?: string; element?: z.ZodType; shape?: Record<string, z.ZodType> };
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const def = (s as unknown as { _zod: { def: AnyDef } })._zod.def;
    if (!def.innerType) break;
    s = def.innerType;
  }
  return s;
}
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const s = unwrap(schema);
  return s instanceof z.ZodObject ? (s.shape as Record<string, z.ZodType>) : undefined;
}
function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  const s = unwrap(schema);
  if (!(s instanceof z.ZodArray)) return undefined;
  const el = s.element as z.ZodType;
  return objectShape(el) ? el : undefined;
}
