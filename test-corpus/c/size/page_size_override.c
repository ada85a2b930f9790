// kmodcheck-target: x86_64
// kmodcheck-page-size: 16384
// kmodcheck-max-order: 11
/*
 * Target overrides: 16 KiB pages and largest order 11 give a 32 MiB kmalloc limit and a 128 KiB
 * costly size, as on arm64-16k.
 */

void *sixteen_mib_bad(void)
{
	return kmalloc(SZ_16M, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *past_limit_bad(void)
{
	return kmalloc(SZ_32M + 1, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *sixty_four_k_ok(void)
{
	return kmalloc(SZ_64K, GFP_KERNEL);
}

struct page *order12_bad(void)
{
	return alloc_pages(GFP_KERNEL, 12); // expect: page-order-limit
}
