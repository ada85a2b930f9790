// SPDX-License-Identifier: GPL-2.0
/*
 * devm_* allocations add a 40-byte header (docs/kernel-facts.md §1.13) before the request reaches
 * kmalloc, so exactly KMALLOC_MAX_SIZE through devm_kmalloc already fails.
 */
#include <linux/device.h>
#include <linux/slab.h>

struct mydrv_priv {
	void *regs;
	u32 flags;
};

void *devm_at_limit_bad(struct device *dev)
{
	return devm_kmalloc(dev, SZ_4M, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *devm_header_fits_bad(struct device *dev)
{
	/* 4 MiB including the header: allowed, but costly. */
	return devm_kmalloc(dev, SZ_4M - 40, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *devm_one_over_bad(struct device *dev)
{
	return devm_kzalloc(dev, SZ_4M - 39, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *devm_at_costly_ok(struct device *dev)
{
	return devm_kzalloc(dev, SZ_32K - 40, GFP_KERNEL);
}

void *devm_past_costly_bad(struct device *dev)
{
	return devm_kzalloc(dev, SZ_32K - 39, GFP_KERNEL); // expect: kmalloc-costly-order
}

void *devm_array_bad(struct device *dev)
{
	return devm_kcalloc(dev, 1024, SZ_4K, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *devm_overflow_bad(struct device *dev)
{
	return devm_kmalloc_array(dev, SIZE_MAX / 2, 4, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *devm_memdup_bad(struct device *dev, const void *fw)
{
	return devm_kmemdup(dev, fw, SZ_8M, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *devm_realloc_bad(struct device *dev, void *old)
{
	return devm_krealloc(dev, old, SZ_8M, GFP_KERNEL); // expect: kmalloc-size-limit
}

int devm_probe_ok(struct device *dev)
{
	struct mydrv_priv *priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);

	if (!priv)
		return -12;
	priv->flags = 1;
	return 0;
}
