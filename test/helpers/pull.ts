// A mesh program that moves data every way the network does, for the trace and debugger tests. Core (0,0)
// fills `src` (in region 1), posts semaphore 0 of (1,0) and waits on its semaphore 1 (in region 2, which it
// never leaves); (1,0) pulls `src` with its DMA engine (from another core: engine fetches, then the data),
// loads a word of it from (0,0) (a remote load and its reply), stores the sum, 256, into (0,0)'s `ack` and
// posts (0,0)'s semaphore 1; (0,0) exits with ack - 200 = 56. Every other core of a larger mesh posts
// (0,0)'s semaphore 3 twice.
export const PULL = `
    .text
    .globl _start
_start:
    csrr s0, coreid
    li t0, 1
    slli s1, t0, 48          # the global flag: core (0,0)'s base
    li t1, 1
    slli t1, t1, 32
    or s2, s1, t1            # core (1,0)'s base
    li t4, 1
    beqz s0, owner
    li t0, 1
    beq s0, t0, puller
    ori t3, s1, 3
    spost t3, t4
    spost t3, t4
    j out
owner:
    csrwi region, 1
    la t0, src
    li t1, 0
    li t2, 256
fill:
    sd t1, 0(t0)
    addi t0, t0, 8
    addi t1, t1, 1
    blt t1, t2, fill
    csrwi region, 2
    spost s2, t4             # semaphore 0 of (1,0)
    li t3, 1
    swait t3, t4
    ld a0, ack
    addi a0, a0, -200
    li a7, 93
    ecall
puller:
    li t3, 0
    swait t3, t4             # src is ready
    la a0, desc
    la t0, src
    or t0, t0, s1
    sd t0, 0(a0)             # from (0,0)'s src
    la t0, dst
    sd t0, 8(a0)             # to our dst
    li t0, 2048
    sw t0, 16(a0)
    li t0, 1
    sw t0, 20(a0)
    li t0, 2
    sd t0, 40(a0)            # then our semaphore 2
    sw t4, 48(a0)
    dma.copy a0
    li t3, 2
    swait t3, t4
    la t0, src
    or t0, t0, s1
    ld t1, 8(t0)             # a remote load: src[1] of (0,0)
    la t0, dst
    ld t2, 2040(t0)          # dst[255]
    add t1, t1, t2
    la t0, ack
    or t0, t0, s1
    sd t1, 0(t0)             # a remote store to (0,0)'s ack
    ori t3, s1, 1
    spost t3, t4             # semaphore 1 of (0,0)
out:
    li a0, 0
    li a7, 93
    ecall
    .data
    .align 6
desc: .zero 64
ack: .dword 0
    .align 3
src: .zero 2048
dst: .zero 2048
`;
