package dev.kmodcheck.kernel;

/**
 * Where the memory a pointer points to came from, as far as DMA cares (docs/kernel-facts.md §5.1):
 * linear-map memory is DMA-able, the others are not.
 */
public enum OriginKind {
  /** vmalloc family (vmalloc, vzalloc, __vmalloc, vmap, ...): only virtually contiguous. */
  VMALLOC,
  /** kvmalloc family: kmalloc first, vmalloc fallback above PAGE_SIZE with blocking flags. */
  KVMALLOC,
  /** A local variable or array: on the (vmapped, CONFIG_VMAP_STACK) task stack. */
  STACK,
  /** A global or static variable, or a string literal: in the kernel or module image. */
  STATIC,
  /** kmalloc, the page allocator, kmem_cache, dma_alloc_*: linear-map memory, DMA-able. */
  LINEAR
}
