// Bytecode operations. Mirrored in server/src/planner/compile/opcodes.ts (a test
// checks the two agree). Operands follow the opcode as i32 words.
export const OP_CONST: i32 = 1; // idx           push consts[idx]
export const OP_LOCAL: i32 = 2; // i             push local i
export const OP_SETLOCAL: i32 = 3; // i          local i = pop
export const OP_STATE: i32 = 4; // var           key = pop; push state[var][key]
export const OP_SETSTATE: i32 = 5; // var        value = pop; key = pop; state[var][key] = value
export const OP_HASSTATE: i32 = 6; // var        x = pop; push x in the variable (its scalar value if it has one, else its keys)
export const OP_POP: i32 = 7;
export const OP_VARVAL: i32 = 13; // var        push the variable's scalar value (key nil) if it has one, else a reference to it
export const OP_JMP: i32 = 8; // addr
export const OP_JF: i32 = 9; // addr            pop; jump if false
export const OP_JT: i32 = 10; // addr           pop; jump if true
export const OP_JF_KEEP: i32 = 11; // addr      `and`: jump keeping the value if false, else pop
export const OP_JT_KEEP: i32 = 12; // addr      `or`: jump keeping the value if true, else pop
export const OP_ADD: i32 = 20;
export const OP_SUB: i32 = 21;
export const OP_MUL: i32 = 22;
export const OP_DIV: i32 = 23;
export const OP_FLOORDIV: i32 = 24;
export const OP_MOD: i32 = 25;
export const OP_EQ: i32 = 26;
export const OP_NE: i32 = 27;
export const OP_LT: i32 = 28;
export const OP_LE: i32 = 29;
export const OP_GT: i32 = 30;
export const OP_GE: i32 = 31;
export const OP_IN: i32 = 32; //               b = pop; a = pop; push a in b
export const OP_NOTIN: i32 = 33;
export const OP_NOT: i32 = 34;
export const OP_NEG: i32 = 35;
export const OP_CALL: i32 = 40; // fn argc
export const OP_RET: i32 = 41; //              return pop (functions; methods: the decomposition)
export const OP_FAIL: i32 = 42; //             not applicable
export const OP_SUCCEED: i32 = 43; //          action succeeded
export const OP_TUPLE: i32 = 50; // n
export const OP_LIST: i32 = 51; // n
export const OP_SET: i32 = 52; // n
export const OP_LIST_DYN: i32 = 53; //         n = pop; pop n values into a list
export const OP_INDEX: i32 = 54; //            key = pop; base = pop; push base[key]
export const OP_FIELD: i32 = 55; // var        mg = pop; push mg.var
export const OP_MGGET: i32 = 56; // var        key = pop; mg = pop; push mg.var[key]
export const OP_MGHAS: i32 = 57; // var        key = pop; mg = pop; push key in mg.var
export const OP_LEN: i32 = 58;
export const OP_ABS: i32 = 59;
export const OP_MIN: i32 = 60;
export const OP_MAX: i32 = 61;
export const OP_MULTIGOAL: i32 = 62; // name n   pop n (var, key, value) triples into a multigoal
export const OP_ITER_INIT: i32 = 70; // l       pop collection into locals l (collection), l+1 (cursor)
export const OP_ITER_NEXT: i32 = 71; // l nvars exit   push the next key (and value), or jump to exit
export const OP_CHOOSE: i32 = 72; // k         pop collection; push the element the replay vector picks
export const OP_INC_LOCAL: i32 = 73; // i      local i += 1 (comprehension counters)
