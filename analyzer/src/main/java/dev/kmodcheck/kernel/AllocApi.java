package dev.kmodcheck.kernel;

import java.util.List;

/**
 * One kernel allocation (or allocation-like) API, as data: which argument carries the size (a
 * product of arguments for n x size forms), the order, and the GFP flags; whether it may sleep.
 * Argument indices are 0-based; -1 means none.
 *
 * @param name function or macro name as written in module code
 * @param family what kind of memory it returns
 * @param sizeArgs indices whose product is the requested size (empty if the size is not an
 *     argument, or not provable from the arguments)
 * @param orderArg index of the page order argument, or -1
 * @param gfpArg index of the gfp_t argument, or -1
 * @param sleeps GFP: may sleep iff the flags have __GFP_DIRECT_RECLAIM; ALWAYS; NEVER
 * @param overhead bytes the API adds before the request reaches kmalloc (the 40-byte devres header
 *     of devm_kmalloc on 64-bit, docs/kernel-facts.md §1.13), else 0
 * @param source citation in the kernel sources (docs/kernel-facts.md section and file:line)
 */
public record AllocApi(
    String name,
    Family family,
    List<Integer> sizeArgs,
    int orderArg,
    int gfpArg,
    Sleeps sleeps,
    int overhead,
    String source) {

  public enum Family {
    /** kmalloc and friends: slab, or the page allocator above KMALLOC_MAX_CACHE_SIZE. */
    KMALLOC,
    /** The buddy allocator by order (or by size, rounded up with get_order). */
    PAGES,
    /** vmalloc family: virtually contiguous, always may sleep. */
    VMALLOC,
    /** kvmalloc family: kmalloc first, vmalloc fallback only for blocking flags. */
    KVMALLOC,
    /** kmem_cache, mempool, dma pools and other allocators with a gfp argument. */
    OTHER
  }

  public enum Sleeps {
    GFP,
    ALWAYS,
    NEVER
  }
}
