// SPDX-License-Identifier: GPL-2.0
/*
 * Generic helpers in the same directory as indirect_map.c: the
 * directory's own map_io() is not the one linked for x86.
 */
struct region { void *base; unsigned long phys; };

int region_map(struct region *r, unsigned long size)
{
	r->base = map_io(r->phys, size);
	return r->base ? 0 : -12;
}
EXPORT_SYMBOL(region_map);

void *region_table(unsigned long n)
{
	return kmalloc_array(n, 16, GFP_KERNEL);
}
EXPORT_SYMBOL(region_table);
