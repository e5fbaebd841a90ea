// Reductions of x seen as [outer, size, inner] along the middle axis: the GPU side of
// CPUBackend.reduce. OpenCL C 1.2.
//
// Three shapes of work, chosen by the host:
//   reduce_small: one work-item per output, a plain loop over `size` (short axes; reads are coalesced
//                 across neighbouring outputs when inner > 1).
//   reduce_rows:  inner == 1 and a long axis: one work-group per output, each work-item sums a stride
//                 of the row, then a tree in local memory.
//   reduce_cols:  inner > 1 and a long axis: work-groups of COLS x ROWS work-items; each column of
//                 work-items walks the axis ROWS apart, then the ROWS partials meet in a tree.
// Sums may also be split along the axis by the host (partials, then a second pass) so that a short,
// wide output still keeps the whole device busy.
//
// Max keeps the first position of the largest value; NaN beats every number (as in PyTorch), and
// between two NaNs the first wins, matching the CPU loop.

#define OP_SUM 0
#define OP_MAX 1

#ifndef GROUP
#define GROUP 256
#endif
#define COLS 16
#define ROWS (GROUP / COLS)

// Whether (v, i) should replace the current best (bv, bi).
inline bool beats(float v, int i, float bv, int bi) {
    if (isnan(v)) return !isnan(bv) || i < bi;
    if (isnan(bv)) return false;
    return v > bv || (v == bv && i < bi);
}

kernel void reduce_small(int op, global const float *x, int outer, int size, int inner,
                         global float *out, global float *indices, int wantIndices) {
    int g = get_global_id(0);
    if (g >= outer * inner) return;
    int o = g / inner, i = g - o * inner;
    global const float *p = x + (size_t)o * size * inner + i;
    if (op == OP_SUM) {
        float s = 0.0f;
        for (int k = 0; k < size; ++k) s += p[(size_t)k * inner];
        out[g] = s;
    } else {
        float best = -INFINITY; int at = 0;
        for (int k = 0; k < size; ++k) {
            float v = p[(size_t)k * inner];
            if (v > best || (isnan(v) && !isnan(best))) { best = v; at = k; }
        }
        out[g] = best;
        if (wantIndices) indices[g] = (float)at;
    }
}

// Work-group GROUP; one group per (row, chunk): group g reduces positions
// [chunk * chunkLen, (chunk + 1) * chunkLen) of row g / chunks into out[g] (chunks > 1 only for sums).
kernel void reduce_rows(int op, global const float *x, int size, int chunks, int chunkLen,
                        global float *out, global float *indices, int wantIndices) {
    local float values[GROUP];
    local int where[GROUP];
    int g = get_group_id(0), t = get_local_id(0);
    int row = g / chunks, chunk = g - row * chunks;
    int start = chunk * chunkLen, end = min(size, start + chunkLen);
    global const float *p = x + (size_t)row * size;
    int row_out = g;
    if (op == OP_SUM) {
        float s = 0.0f;
        for (int k = start + t; k < end; k += GROUP) s += p[k];
        values[t] = s;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int span = GROUP / 2; span > 0; span >>= 1) {
            if (t < span) values[t] += values[t + span];
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (t == 0) out[row_out] = values[0];
    } else {
        float best = -INFINITY; int at = INT_MAX;
        for (int k = start + t; k < end; k += GROUP) {
            float v = p[k];
            if (beats(v, k, best, at)) { best = v; at = k; }
        }
        values[t] = best; where[t] = at;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int span = GROUP / 2; span > 0; span >>= 1) {
            if (t < span && beats(values[t + span], where[t + span], values[t], where[t])) {
                values[t] = values[t + span]; where[t] = where[t + span];
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (t == 0) {
            out[row_out] = values[0];
            // A row of -inf leaves no winner; the first position is the answer then.
            if (wantIndices) indices[row_out] = (float)(where[0] == INT_MAX ? 0 : where[0]);
        }
    }
}

// Work-group (COLS, ROWS); global (ceil(inner / COLS) * COLS, ROWS * outer * chunks). Group row g
// reduces chunk g % chunks of slab g / chunks into out[g * inner + i].
kernel void reduce_cols(int op, global const float *x, int size, int inner, int chunks, int chunkLen,
                        global float *out, global float *indices, int wantIndices) {
    local float values[ROWS][COLS];
    local int where[ROWS][COLS];
    int c = get_local_id(0), r = get_local_id(1);
    int i = get_group_id(0) * COLS + c;
    int g = get_group_id(1);
    int o = g / chunks, chunk = g - o * chunks;
    int start = chunk * chunkLen, end = min(size, start + chunkLen);
    bool live = i < inner;
    global const float *p = x + (size_t)o * size * inner + i;
    if (op == OP_SUM) {
        float s = 0.0f;
        if (live) for (int k = start + r; k < end; k += ROWS) s += p[(size_t)k * inner];
        values[r][c] = s;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int span = ROWS / 2; span > 0; span >>= 1) {
            if (r < span) values[r][c] += values[r + span][c];
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (r == 0 && live) out[g * inner + i] = values[0][c];
    } else {
        float best = -INFINITY; int at = INT_MAX;
        if (live) for (int k = start + r; k < end; k += ROWS) {
            float v = p[(size_t)k * inner];
            if (beats(v, k, best, at)) { best = v; at = k; }
        }
        values[r][c] = best; where[r][c] = at;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int span = ROWS / 2; span > 0; span >>= 1) {
            if (r < span && beats(values[r + span][c], where[r + span][c], values[r][c], where[r][c])) {
                values[r][c] = values[r + span][c]; where[r][c] = where[r + span][c];
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (r == 0 && live) {
            out[g * inner + i] = values[0][c];
            if (wantIndices) indices[g * inner + i] = (float)(where[0][c] == INT_MAX ? 0 : where[0][c]);
        }
    }
}
