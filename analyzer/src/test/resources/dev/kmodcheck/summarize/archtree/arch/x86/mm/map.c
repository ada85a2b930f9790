// SPDX-License-Identifier: GPL-2.0
/* Stand-in for x86's own map_io(): it allocates its bookkeeping. */
struct map_area { unsigned long phys; unsigned long size; };

static struct map_area *map_area_get(unsigned long phys, unsigned long size)
{
	struct map_area *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (a) {
		a->phys = phys;
		a->size = size;
	}
	return a;
}

void *map_io(unsigned long phys, unsigned long size)
{
	struct map_area *a = map_area_get(phys, size);

	return a ? (void *)a->phys : (void *)0;
}
EXPORT_SYMBOL(map_io);
