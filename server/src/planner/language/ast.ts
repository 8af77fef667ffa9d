/**
 * The domain model: a planning domain as plain data.
 *
 * This is the one in-memory shape of a domain. The text form (`.aria` files,
 * see docs/domain-language.md) parses into it, the protobuf message
 * `aria.planner.v1.Domain` maps onto it field for field, and the compiler
 * turns it into bytecode for the WASM engine. Every node may carry a `pos`
 * so that errors can name the place in the source.
 */

/** A place in a source text, 1-based. */
export interface Pos {
  line: number;
  col: number;
}

/** A literal value: symbol, number, boolean or nil. */
export type Literal =
  | { sym: string }
  | { num: number }
  | { bool: boolean }
  | { nil: true };

/** Binary operators, with Python's meaning. */
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '//' | '%'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | 'in' | 'not in' | 'and' | 'or';

/** Unary operators. */
export type UnaryOp = 'not' | '-';

/** An expression. Exactly one key besides `pos` is set. */
export type Expr = (
  | { lit: Literal }
  /** A parameter, local, constant or state-variable name. */
  | { name: string }
  /** `base[key]`: a state variable, constant map, list or tuple lookup. */
  | { index: { base: Expr; key: Expr } }
  /** `mg.var`: the wanted values of one state variable in a multigoal. */
  | { field: { base: Expr; name: string } }
  /** A call of a helper function or a built-in (len, keys, ...). */
  | { call: { fn: string; args: Expr[] } }
  | { binary: { op: BinaryOp; left: Expr; right: Expr } }
  | { unary: { op: UnaryOp; arg: Expr } }
  /** `[a, b]`: a list. */
  | { list: Expr[] }
  /** `(a, b)` or `name(args)` inside a todo list: a tuple / todo item. */
  | { tuple: Expr[] }
  /** `{a, b}`: a set. */
  | { set: Expr[] }
  /** `{k: v}`: a map (constants only). */
  | { map: { key: Expr; value: Expr }[] }
  /** `[elem for vars in iter if cond]`. */
  | { comp: { elem: Expr; vars: string[]; iter: Expr; cond?: Expr } }
  /** A multigoal value: `multigoal name { var[key] = value ... }`. */
  | { multigoal: { name: string; goals: { var: string; key: Expr; value: Expr }[] } }
) & { pos?: Pos };

/** A statement. Exactly one key besides `pos` is set. */
export type Stmt = (
  | { let: { name: string; value: Expr } }
  /** `var[key] = value` on the state (actions and commands only), or `x = value` on a local. */
  | { assign: { target: Expr; value: Expr } }
  | { if: { test: Expr; then: Stmt[]; else: Stmt[] } }
  | { for: { vars: string[]; iter: Expr; body: Stmt[] } }
  /** Leave a `for` loop early. */
  | { break: true }
  | { continue: true }
  /** Return a value (functions), a decomposition (methods) or success (actions). */
  | { return: { value?: Expr } }
  /** Not applicable: the method or action gives up (Python's `return False`). */
  | { fail: true }
  /** `require cond`: fail unless cond holds. */
  | { require: Expr }
  /**
   * `choose x in iter`: a choice point. Methods only; every element is
   * tried in order on backtracking (SHOP/HDDL-style parameter binding).
   */
  | { choose: { name: string; iter: Expr } }
) & { pos?: Pos };

/** A helper function: pure, may recurse, reads the state. */
export interface FunctionDecl {
  name: string;
  params: string[];
  body: Stmt[];
  pos?: Pos;
}

/** An action or command: changes the state or fails. */
export interface ActionDecl {
  name: string;
  params: string[];
  body: Stmt[];
  /**
   * The action's cost (`action name(params) cost EXPR { ... }`): evaluated
   * once the action has applied, on the state it produced, with its
   * arguments; a non-negative finite number. None: the action costs 1.
   * Actions only (commands have none).
   */
  cost?: Expr;
  pos?: Pos;
}

/** A method: returns a list of todo items, or fails. */
export interface MethodDecl {
  name: string;
  params: string[];
  body: Stmt[];
  /** Set for a built-in method (only `split_multigoal`, among multigoal methods); body is then empty. */
  builtin?: 'split_multigoal';
  pos?: Pos;
}

/** The methods of one task, in the order they are tried. */
export interface TaskDecl {
  name: string;
  methods: MethodDecl[];
  pos?: Pos;
}

/** The unigoal methods of one state variable, tried in order. */
export interface UnigoalDecl {
  /** The state variable whose goals these methods achieve. */
  var: string;
  methods: MethodDecl[];
  pos?: Pos;
}

/** A named constant (rigid relation): a number, symbol, set, list or map. */
export interface ConstDecl {
  name: string;
  value: Expr;
  pos?: Pos;
}

/** A state variable declaration (optional: the problem's state may add more). */
export interface VarDecl {
  name: string;
  pos?: Pos;
}

/** A planning domain. */
export interface Domain {
  name: string;
  vars: VarDecl[];
  consts: ConstDecl[];
  functions: FunctionDecl[];
  actions: ActionDecl[];
  /** Acting versions of actions: `c_<action>` in GTPyhop; here named like the action they execute. */
  commands: ActionDecl[];
  tasks: TaskDecl[];
  unigoals: UnigoalDecl[];
  /** Multigoal methods in order; each takes one parameter, the multigoal. */
  multigoals: MethodDecl[];
}
