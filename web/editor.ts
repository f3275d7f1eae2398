// The playground's editor: CodeMirror 6 with .dasm highlighting whose words come from the ISA table
// (instructions, aliases, pseudo-instructions, registers), the assembler's problems marked at their
// line:col as you type, breakpoints in the gutter, and the line the debugged program stopped at.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { EditorState, RangeSet, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, gutter, GutterMarker, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { ALIASES, MULTI_PSEUDOS } from '../isa/aliases.js';
import { ABI_NAMES } from '../isa/registers.js';
import { INSTRUCTIONS } from '../isa/table.js';
import type { Problem } from './protocol.js';

const MNEMONICS = new Set<string>([...INSTRUCTIONS.map((i) => i.mnemonic), ...ALIASES.map((a) => a.mnemonic), ...MULTI_PSEUDOS]);
const REGISTERS = new Set<string>([...ABI_NAMES, 'fp', ...Array.from({ length: 32 }, (_, i) => `x${i}`), ...Array.from({ length: 32 }, (_, i) => `v${i}`), 'm0', 'm1', 'm2', 'm3']);

/** The .dasm tokens (docs/dasm.md): comments, strings, numbers, directives, labels, mnemonics, registers. */
const dasm = StreamLanguage.define<{ start: boolean }>({
  name: 'dasm',
  startState: () => ({ start: true }),
  token(stream, state) {
    if (stream.sol()) state.start = true;
    if (stream.eatSpace()) return null;
    if (stream.match(/^(#|\/\/).*/)) return 'comment';
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/^'(?:[^'\\]|\\.)+'/)) return 'string';
    if (stream.match(/^(0x[0-9a-f_]+|0b[01_]+|[0-9][0-9_]*(\.[0-9]+)?(e[+-]?[0-9]+)?)\b/i)) return 'number';
    if (stream.match(/^;/)) {
      state.start = true;
      return null;
    }
    if (stream.match(/^%[a-z_]+/i)) return 'operator';
    const word = stream.match(/^[A-Za-z_.$][\w.$]*/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      if (stream.peek() === ':') {
        stream.next();
        return 'labelName';
      }
      if (state.start) {
        state.start = false;
        if (w.startsWith('.')) return 'keyword';
        return MNEMONICS.has(w.toLowerCase()) ? 'keyword' : 'macroName';
      }
      if (REGISTERS.has(w)) return 'variableName.special';
      return w.startsWith('\\') ? 'variableName' : 'variableName';
    }
    if (stream.match(/^\\\w+/)) return 'variableName';
    stream.next();
    return null;
  },
});

const style = HighlightStyle.define([
  { tag: tags.comment, color: '#6a737d', fontStyle: 'italic' },
  { tag: tags.string, color: '#032f62' },
  { tag: tags.number, color: '#005cc5' },
  { tag: tags.keyword, color: '#d73a49', fontWeight: 'bold' },
  { tag: tags.labelName, color: '#6f42c1', fontWeight: 'bold' },
  { tag: tags.special(tags.variableName), color: '#e36209' },
  { tag: tags.macroName, color: '#22863a' },
  { tag: tags.operator, color: '#005cc5' },
]);

// Breakpoints: a set of gutter markers, toggled by a click in the gutter.
const toggleBreakpoint = StateEffect.define<{ pos: number; on: boolean }>({ map: (v, m) => ({ pos: m.mapPos(v.pos), on: v.on }) });
class Dot extends GutterMarker {
  constructor(private readonly cls: string) {
    super();
  }

  override toDOM() {
    const dot = document.createElement('span');
    dot.className = this.cls;
    dot.textContent = '●';
    return dot;
  }
}
const breakpointMarker = new Dot('bp-dot');
const breakpoints = StateField.define<RangeSet<GutterMarker>>({
  create: () => RangeSet.empty,
  update(set, tr) {
    set = set.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(toggleBreakpoint)) continue;
      set = e.value.on ? set.update({ add: [breakpointMarker.range(e.value.pos)] }) : set.update({ filter: (from) => from !== e.value.pos });
    }
    return set;
  },
});

// The line the program stopped at.
const setStopLine = StateEffect.define<number>();
const stopLine = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setStopLine)) continue;
      deco = e.value > 0 && e.value <= tr.state.doc.lines ? Decoration.set([Decoration.line({ class: 'cm-stopLine' }).range(tr.state.doc.line(e.value).from)]) : Decoration.none;
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export interface EditorHooks {
  /** The assembler's problems for this text (the worker assembles it). */
  problems: (text: string) => Promise<Problem[]>;
  /** The breakpoint lines changed. */
  breakpointsChanged: (lines: number[]) => void;
  changed: () => void;
}

export class Editor {
  readonly view: EditorView;

  constructor(parent: HTMLElement, text: string, hooks: EditorHooks) {
    const breakpointGutter = gutter({
      class: 'cm-breakpoint-gutter',
      markers: (v) => v.state.field(breakpoints),
      initialSpacer: () => new Dot('bp-space'),
      domEventHandlers: {
        mousedown: (view, line) => {
          const on = !this.lines().includes(view.state.doc.lineAt(line.from).number);
          view.dispatch({ effects: toggleBreakpoint.of({ pos: line.from, on }) });
          hooks.breakpointsChanged(this.lines());
          return true;
        },
      },
    });
    const lint = linter(
      async (view): Promise<LintDiagnostic[]> => {
        const doc = view.state.doc;
        const problems = await hooks.problems(doc.toString());
        return problems
          .filter((p) => p.line >= 1 && p.line <= doc.lines)
          .map((p) => {
            const line = doc.line(p.line);
            const from = Math.min(line.to, line.from + Math.max(0, p.column - 1));
            return { from, to: Math.min(line.to, from + Math.max(1, p.span)), severity: p.severity === 'note' ? 'info' : p.severity, message: p.message };
          });
      },
      { delay: 250 },
    );
    const extensions: Extension[] = [
      breakpoints,
      breakpointGutter,
      lineNumbers(),
      lintGutter(),
      history(),
      highlightActiveLine(),
      stopLine,
      dasm,
      syntaxHighlighting(style),
      lint,
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.updateListener.of((u) => u.docChanged && hooks.changed()),
    ];
    this.view = new EditorView({ state: EditorState.create({ doc: text, extensions }), parent });
  }

  text(): string {
    return this.view.state.doc.toString();
  }

  setText(text: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, effects: setStopLine.of(0) });
  }

  /** The lines with a breakpoint. */
  lines(): number[] {
    const out: number[] = [];
    const doc = this.view.state.doc;
    this.view.state.field(breakpoints).between(0, doc.length, (from) => {
      out.push(doc.lineAt(from).number);
    });
    return out;
  }

  clearBreakpoints(): void {
    const effects: StateEffect<unknown>[] = [];
    this.view.state.field(breakpoints).between(0, this.view.state.doc.length, (from) => {
      effects.push(toggleBreakpoint.of({ pos: from, on: false }));
    });
    this.view.dispatch({ effects });
  }

  /** Mark the line the program stopped at (0: none) and bring it into view. */
  showStop(line: number): void {
    const effects: StateEffect<unknown>[] = [setStopLine.of(line)];
    if (line > 0 && line <= this.view.state.doc.lines) effects.push(EditorView.scrollIntoView(this.view.state.doc.line(line).from, { y: 'center' }));
    this.view.dispatch({ effects });
  }
}
