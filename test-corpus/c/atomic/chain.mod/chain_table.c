// SPDX-License-Identifier: GPL-2.0
/* Table maintenance: not atomic by itself, so nothing is reported in this file. */
#include <linux/vmalloc.h>
#include "chain.h"

static void *ch_grow(size_t size)
{
	return vzalloc(size);
}

int ch_rebuild(struct ch_dev *dev)
{
	void *t = ch_grow(dev->size * 2);

	if (!t)
		return -1;
	dev->table = t;
	return 0;
}
