/**
 * The view models the built-in templates render: public API for template authors
 * (`--templates DIR`). Every field is always present (templates compile in strict mode), every
 * decision is already made (names, types, imports, line breaks), and a field named `lines` holds
 * code lines without their base indentation, laid out for the indentation the built-in template
 * prints them at (column 0 at module level, 2 inside a class, interface or object).
 */

/** Shared by both dialects. */
export interface HeaderView {
  /** `dspidl`. */
  readonly generator: string;
  readonly version: string;
  /** The IDL path as given (forward slashes). */
  readonly source: string;
  /** Options that change the output, `key=value` joined by commas: `target=ts,import_extension=.js`. */
  readonly parameters: string;
  /** `types` or `remoting` for one half of a `-ho`/`-ro` pair, else ''. */
  readonly part: string;
}

/**
 * A doc comment: IDL doc text and what the generator adds, as lines without comment markers,
 * wrapped to fit a JSDoc block at the indentation it is printed at. Empty `lines`: no comment.
 */
export interface DocView {
  readonly lines: readonly string[];
  /** True when the text fits `/** text *\/` on one line. */
  readonly oneLine: boolean;
}

// ---------------------------------------------------------------------------------------------
// QAIC

export interface QaicFileView {
  readonly header: HeaderView;
  /** `all`, `types` (qaic's -ho) or `remoting` (-ro). */
  readonly part: 'all' | 'types' | 'remoting';
  /** Modules the remoting half re-exports (its types module). */
  readonly reexports: readonly string[];
  readonly constants: readonly QaicConstantView[];
  readonly enums: readonly QaicEnumView[];
  readonly structs: readonly QaicStructView[];
  readonly typedefs: readonly QaicTypedefView[];
  /** Module-private struct descriptors (`const pointType = t.struct(...)`), members first. */
  readonly typeDescriptors: readonly CodeView[];
  readonly interfaces: readonly QaicInterfaceView[];
  /** The `interfaces` table of the file, when it declares any interface. */
  readonly registry: QaicRegistryView | false;
}

/** Lines of code printed as they are. */
export interface CodeView {
  readonly lines: readonly string[];
}

export interface QaicConstantView {
  readonly doc: DocView;
  readonly name: string;
  /** A TypeScript literal. */
  readonly value: string;
}

export interface QaicEnumView {
  readonly doc: DocView;
  readonly name: string;
  readonly members: readonly { readonly doc: DocView; readonly key: string; readonly value: string }[];
}

export interface QaicStructView {
  readonly doc: DocView;
  readonly name: string;
  readonly members: readonly { readonly doc: DocView; readonly name: string; readonly type: string }[];
}

export interface QaicTypedefView {
  readonly doc: DocView;
  readonly name: string;
  readonly type: string;
}

export interface QaicInterfaceView {
  /** Scoped IDL name (`apps::mem`). */
  readonly idlName: string;
  readonly descriptor: { readonly doc: DocView; readonly code: CodeView };
  /** The module-private plans object (`const appsMemPlans = { ... }`). */
  readonly plans: CodeView;
  readonly impl: { readonly doc: DocView; readonly name: string; readonly members: readonly QaicMemberView[] };
  readonly client: QaicClientView;
  readonly skel: { readonly doc: DocView; readonly code: CodeView };
}

/** One method of the implementation interface: its signature, ending in `;`. */
export interface QaicMemberView {
  readonly doc: DocView;
  readonly lines: readonly string[];
}

export interface QaicClientView {
  readonly doc: DocView;
  readonly name: string;
  /** The fields and constructor. */
  readonly head: CodeView;
  readonly methods: readonly QaicClientMethodView[];
}

export interface QaicClientMethodView {
  readonly doc: DocView;
  /** The signature, ending in `{`. */
  readonly signature: readonly string[];
  /** The body statements. */
  readonly body: readonly string[];
}

export interface QaicRegistryView {
  readonly doc: DocView;
  /** `export const interfaces: readonly GeneratedInterface[] = [`. */
  readonly head: string;
  readonly entries: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// QMI

export interface QmiFileView {
  readonly header: HeaderView;
  readonly fileDoc: DocView;
  /** The file's declarations in declaration order; exactly one field of each is set. */
  readonly decls: readonly QmiDeclView[];
  /** Module-private struct value types (`const fooType: QmiValueType = { ... }`), members first. */
  readonly valueTypes: readonly CodeView[];
  readonly codecs: readonly QmiCodecView[];
  readonly service: QmiServiceView | false;
}

export interface QmiDeclView {
  readonly constant: QaicConstantView | false;
  /** An enum or a mask. */
  readonly enumeration: QmiEnumView | false;
  readonly struct: QaicStructView | false;
  readonly message: QmiMessageView | false;
}

export interface QmiEnumView {
  readonly doc: DocView;
  readonly name: string;
  readonly members: readonly { readonly doc: DocView; readonly key: string; readonly value: string }[];
  /** Enums also get a union type of their values; masks do not. */
  readonly union: boolean;
}

export interface QmiMessageView {
  readonly doc: DocView;
  readonly name: string;
  /** A message without elements: its value type is `Record<string, never>`. */
  readonly empty: boolean;
  readonly elements: readonly { readonly doc: DocView; readonly name: string; readonly optional: boolean; readonly type: string }[];
}

export interface QmiCodecView {
  readonly doc: DocView;
  readonly code: CodeView;
}

export interface QmiServiceView {
  readonly idsDoc: DocView;
  readonly ids: CodeView;
  readonly typesDoc: DocView;
  readonly types: CodeView;
  readonly tableDoc: DocView;
  readonly table: CodeView;
}
