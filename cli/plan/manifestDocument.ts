/** One Kubernetes object read from an input, with where it came from for messages. */
export interface ManifestDocument {
  /** the input's name (path, "<stdin>", "<rev>:<path>") */
  readonly source: string;
  /** 1-based line where the object starts, when known (YAML); 0 when not */
  readonly line: number;
  /** e.g. "document 2" or "document 1, items[3]" */
  readonly label: string;
  readonly value: unknown;
  /** where to find the object again to point at a field: the input's text, its document and list position */
  readonly origin?: {
    readonly text: string;
    /** 1-based document number in the stream */
    readonly document: number;
    /** path of the object inside the document: [] or ["items", 3] or [3] */
    readonly within: ReadonlyArray<string | number>;
  };
}

/** "before/vm.yaml:12" or "before/vm.json (document 1, items[3])": where a document is, for messages. */
export function documentLocation(doc: ManifestDocument): string {
  return doc.line > 0 ? `${doc.source}:${doc.line}` : `${doc.source} (${doc.label})`;
}
