/**
 * The `.aria` text form to the Domain model of ast.ts: a hand-written
 * recursive-descent parser (docs/domain-language.md, "Top level").
 * Syntax only; names and arities are checked by validate-domain.ts.
 */
import type { Domain, MethodDecl, Pos, TaskDecl, UnigoalDecl } from './ast.js';
import { DomainError } from '../errors.js';
import { describe, tokenize } from './lexer.js';
import { at } from './parse-cursor.js';
import { StmtParser, type BlockOwner } from './parse-stmt.js';

const DECLARATIONS = 'var, const, fn, action, command, task, unigoal or multigoal';

class DomainParser extends StmtParser {
  private readonly tasks = new Map<string, TaskDecl>();
  private readonly unigoals = new Map<string, UnigoalDecl>();

  domain(): Domain {
    while (this.isPunct(';')) this.next();
    if (!this.isWord('domain')) this.expected("'domain <name>' at the start of the file");
    const first = this.next();
    const d: Domain = {
      name: this.ident("the domain's name after 'domain'"),
      vars: [], consts: [], functions: [], actions: [], commands: [], tasks: [], unigoals: [], multigoals: [],
    };
    this.endOfDeclaration(`'domain ${d.name}'`);
    for (;;) {
      while (this.isPunct(';')) this.next();
      const t = this.tok;
      if (t.kind === 'eof') return d;
      const word = t.kind === 'ident' ? t.text : '';
      switch (word) {
        case 'domain':
          return this.error(t.pos, `the domain's name is already given at ${at(first.pos)}`);
        case 'var':
          this.vars(d);
          break;
        case 'const': {
          this.next();
          const name = this.ident("a constant name after 'const'");
          this.expectPunct('=', ` after 'const ${name}'`);
          d.consts.push({ name, value: this.expr(), pos: t.pos });
          this.endOfDeclaration(`'const ${name} = ...'`);
          break;
        }
        case 'fn':
        case 'action':
        case 'command': {
          this.next();
          const kind = word === 'fn' ? 'function' : word;
          const name = this.ident(`a ${kind} name after '${word}'`);
          const params = this.params(`${kind} '${name}'`);
          // `cost EXPR` between an action's parameters and its body.
          const cost = word === 'action' && this.isWord('cost') ? (this.next(), this.expr()) : undefined;
          const body = this.block({ what: `${kind} '${name}'`, pos: t.pos });
          if (word === 'fn') d.functions.push({ name, params, body, pos: t.pos });
          else if (word === 'action') d.actions.push(cost ? { name, params, body, cost, pos: t.pos } : { name, params, body, pos: t.pos });
          else d.commands.push({ name, params, body, pos: t.pos });
          this.endOfDeclaration(`${kind} '${name}'`);
          break;
        }
        case 'task':
        case 'unigoal':
        case 'multigoal':
          this.methodBlock(d, word);
          break;
        default:
          this.expected(`a declaration (${DECLARATIONS})`);
      }
    }
  }

  private endOfDeclaration(what: string): void {
    const t = this.tok;
    if (t.nl || this.isPunct(';')) return;
    this.error(t.pos, `expected a new line after ${what}, found ${describe(t)}`);
  }

  private vars(d: Domain): void {
    this.next();
    for (;;) {
      const p = this.tok.pos;
      d.vars.push({ name: this.ident("a state variable name after 'var'"), pos: p });
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.endOfDeclaration("the 'var' declaration");
  }

  /** `(a, b)`. */
  private params(owner: string): string[] {
    const open = this.expectPunct('(', ` after the name of ${owner}`);
    return this.nested(() => {
      const out: string[] = [];
      while (!this.isPunct(')')) {
        out.push(this.ident(`a parameter name or ')' in ${owner}`));
        if (this.isPunct(',')) this.next();
        else if (!this.isPunct(')')) this.expected(`',' or ')' in the parameters of ${owner} opened at ${at(open.pos)}`);
      }
      this.next();
      return out;
    });
  }

  /** `task NAME { ... }`, `unigoal VAR { ... }`, `multigoal { ... }`; repeated blocks append methods. */
  private methodBlock(d: Domain, word: 'task' | 'unigoal' | 'multigoal'): void {
    const kw = this.next();
    let methods: MethodDecl[];
    let owner: BlockOwner;
    if (word === 'multigoal') {
      methods = d.multigoals;
      owner = { what: 'multigoal block', pos: kw.pos };
    } else if (word === 'task') {
      const name = this.ident("a task name after 'task'");
      let decl = this.tasks.get(name);
      if (decl === undefined) {
        decl = { name, methods: [], pos: kw.pos };
        this.tasks.set(name, decl);
        d.tasks.push(decl);
      }
      methods = decl.methods;
      owner = { what: `task '${name}'`, pos: kw.pos };
    } else {
      const v = this.ident("a state variable name after 'unigoal'");
      let decl = this.unigoals.get(v);
      if (decl === undefined) {
        decl = { var: v, methods: [], pos: kw.pos };
        this.unigoals.set(v, decl);
        d.unigoals.push(decl);
      }
      methods = decl.methods;
      owner = { what: `unigoal '${v}'`, pos: kw.pos };
    }
    this.expectPunct('{', ` to open ${owner.what}`);
    this.nested(() => {
      for (;;) {
        while (this.isPunct(';')) this.next();
        const t = this.tok;
        if (this.isPunct('}')) break;
        if (t.kind === 'eof') this.unclosed(owner);
        if (this.isWord('method')) {
          methods.push(this.method(owner));
        } else if (this.isWord('builtin')) {
          methods.push(this.builtin(owner, word));
        } else if (this.atDeclaration()) {
          this.unclosed(owner);
        } else {
          const allowed = word === 'multigoal' ? "'method', 'builtin'" : "'method'";
          this.expected(`${allowed} or '}' in ${owner.what} opened at ${at(owner.pos)}`);
        }
        const last = methods[methods.length - 1]!;
        if (!this.isPunct('}')) this.endOfDeclaration(last.builtin ? "'builtin split_multigoal'" : `method '${last.name}'`);
      }
    }, 0);
    this.next();
    this.endOfDeclaration(owner.what);
  }

  private method(owner: BlockOwner): MethodDecl {
    const kw = this.next();
    const name = this.ident(`a method name after 'method' in ${owner.what}`);
    const params = this.params(`method '${name}'`);
    const body = this.block({ what: `method '${name}'`, pos: kw.pos });
    return { name, params, body, pos: kw.pos };
  }

  private builtin(owner: BlockOwner, word: string): MethodDecl {
    const kw: Pos = this.next().pos;
    if (word !== 'multigoal') this.error(kw, `'builtin' methods exist only in a multigoal block, not in ${owner.what}`);
    const nameTok = this.tok;
    const name = this.ident("a built-in method name after 'builtin'");
    if (name !== 'split_multigoal') {
      this.error(nameTok.pos, `unknown built-in method '${name}'; the only one is 'split_multigoal'`);
    }
    // GTPyhop's name for it, so that traces and messages match GTPyhop's.
    return { name: 'm_split_multigoal', params: [], body: [], builtin: 'split_multigoal', pos: kw };
  }
}

/**
 * Parses the text form of a domain into the Domain model.
 *
 * Every node carries its `pos`. Syntax errors throw DomainError with
 * `where` = `file:line:col`; the result is not yet validated (see
 * validateDomain).
 */
export function parseDomain(text: string, file = '<domain>'): Domain {
  try {
    return new DomainParser(tokenize(text, file), file).domain();
  } catch (e) {
    if (e instanceof DomainError) throw e;
    // Only absurdly deep nesting gets here (the parser recurses); it is still the domain's fault.
    throw new DomainError(file, `cannot parse: ${e instanceof RangeError ? 'nested too deeply' : String(e)}`);
  }
}
