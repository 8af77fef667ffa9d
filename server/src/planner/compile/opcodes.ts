// Bytecode operations, mirroring wasm/assembly/opcodes.ts (test/planner/opcodes.test.ts
// checks that the two files agree). Operands follow the opcode as i32 words.
export const OP_CONST = 1; // idx           push consts[idx]
export const OP_LOCAL = 2; // i             push local i
export const OP_SETLOCAL = 3; // i          local i = pop
export const OP_STATE = 4; // var           key = pop; push state[var][key]
export const OP_SETSTATE = 5; // var        value = pop; key = pop; state[var][key] = value
export const OP_HASSTATE = 6; // var        x = pop; push x in the variable (its scalar value if it has one, else its keys)
export const OP_POP = 7;
export const OP_VARVAL = 13; // var        push the variable's scalar value (key nil) if it has one, else a reference to it
export const OP_JMP = 8; // addr
export const OP_JF = 9; // addr            pop; jump if false
export const OP_JT = 10; // addr           pop; jump if true
export const OP_JF_KEEP = 11; // addr      `and`: jump keeping the value if false, else pop
export const OP_JT_KEEP = 12; // addr      `or`: jump keeping the value if true, else pop
export const OP_ADD = 20;
export const OP_SUB = 21;
export const OP_MUL = 22;
export const OP_DIV = 23;
export const OP_FLOORDIV = 24;
export const OP_MOD = 25;
export const OP_EQ = 26;
export const OP_NE = 27;
export const OP_LT = 28;
export const OP_LE = 29;
export const OP_GT = 30;
export const OP_GE = 31;
export const OP_IN = 32; //               b = pop; a = pop; push a in b
export const OP_NOTIN = 33;
export const OP_NOT = 34;
export const OP_NEG = 35;
export const OP_CALL = 40; // fn argc
export const OP_RET = 41; //              return pop (functions; methods: the decomposition)
export const OP_FAIL = 42; //             not applicable
export const OP_SUCCEED = 43; //          action succeeded
export const OP_TUPLE = 50; // n
export const OP_LIST = 51; // n
export const OP_SET = 52; // n
export const OP_LIST_DYN = 53; //         n = pop; pop n values into a list
export const OP_INDEX = 54; //            key = pop; base = pop; push base[key]
export const OP_FIELD = 55; // var        mg = pop; push mg.var
export const OP_MGGET = 56; // var        key = pop; mg = pop; push mg.var[key]
export const OP_MGHAS = 57; // var        key = pop; mg = pop; push key in mg.var
export const OP_LEN = 58;
export const OP_ABS = 59;
export const OP_MIN = 60;
export const OP_MAX = 61;
export const OP_MULTIGOAL = 62; // name n   pop n (var, key, value) triples into a multigoal
export const OP_ITER_INIT = 70; // l       pop collection into locals l (collection), l+1 (cursor)
export const OP_ITER_NEXT = 71; // l nvars exit   push the next key (and value), or jump to exit
export const OP_CHOOSE = 72; // k         pop collection; push the element the replay vector picks
export const OP_INC_LOCAL = 73; // i      local i += 1 (comprehension counters)
