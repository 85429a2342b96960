/**
 * Where JSON text first goes wrong, as an offset (or -1 when it is valid). V8's JSON.parse does not
 * always say where ("Unexpected token '}'"), so this small iterative scanner finds the spot for the
 * file:line:column in the error message. Only called after JSON.parse has failed.
 */
export function jsonErrorOffset(text: string): number {
  const stack: Array<"array" | "object"> = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const str = (): boolean => {
    if (text[i] !== '"') return false;
    for (i++; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[++i];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
          i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) return false;
      }
    }
    return false;
  };
  const scalar = (): boolean => {
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  // value: parse one value; containers push and continue in the loop
  let expect: "value" | "key" | "after" = "value";
  for (;;) {
    ws();
    if (expect === "value") {
      const c = text[i];
      if (c === "{") {
        i++;
        ws();
        if (text[i] === "}") {
          i++;
          expect = "after";
        } else {
          stack.push("object");
          expect = "key";
        }
        continue;
      }
      if (c === "[") {
        i++;
        ws();
        if (text[i] === "]") {
          i++;
          expect = "after";
        } else stack.push("array");
        continue;
      }
      if (!(c === '"' ? str() : scalar())) return i;
      expect = "after";
    } else if (expect === "key") {
      if (!str()) return i;
      ws();
      if (text[i] !== ":") return i;
      i++;
      expect = "value";
    } else {
      const top = stack[stack.length - 1];
      if (!top) return i < text.length ? i : -1;
      const c = text[i];
      if (c === ",") {
        i++;
        expect = top === "object" ? "key" : "value";
      } else if ((c === "]" && top === "array") || (c === "}" && top === "object")) {
        i++;
        stack.pop();
      } else return i;
    }
  }
}
