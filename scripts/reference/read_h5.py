#!/usr/bin/env python3
"""Lists an HDF5 file written by Lethe (checkpoint, gradient log, ...) with h5py alone, to show
the files need no Lethe code to read: every group, every dataset (shape, max shape, dtype,
chunks, filters, and the first values) and every attribute.

    pip install h5py        # only for this script; Lethe itself never needs Python
    python3 scripts/reference/read_h5.py checkpoints/run/model.h5 [--values 4]
"""
import argparse
import sys

import h5py
import numpy as np


def show_attributes(obj, indent):
    for name in sorted(obj.attrs):
        value = obj.attrs[name]
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        print(f"{indent}@{name} = {value!r}")


def show_dataset(dataset, indent, values):
    filters = []
    if dataset.shuffle:
        filters.append("shuffle")
    if dataset.compression:
        filters.append(f"{dataset.compression}({dataset.compression_opts})")
    print(f"{indent}{dataset.name}: shape={dataset.shape} maxshape={dataset.maxshape} "
          f"dtype={dataset.dtype} chunks={dataset.chunks} filters={'+'.join(filters) or 'none'}")
    if values > 0 and dataset.size > 0:
        flat = np.asarray(dataset[()]).reshape(-1)
        head = np.array2string(flat[:values], separator=", ")
        more = f" ... ({dataset.size} values)" if dataset.size > values else ""
        print(f"{indent}  values: {head}{more}")
    show_attributes(dataset, indent + "  ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--values", type=int, default=4, help="values to print per dataset (0: none)")
    args = parser.parse_args()
    try:
        file = h5py.File(args.path, "r")
    except OSError as error:
        sys.exit(f"{args.path}: {error}")
    with file:
        print(f"{args.path}:")
        show_attributes(file, "  ")

        def visit(name, obj):
            depth = "  " * (name.count("/") + 1)
            if isinstance(obj, h5py.Group):
                print(f"{depth}{obj.name}/ (group)")
                show_attributes(obj, depth + "  ")
            else:
                show_dataset(obj, depth, args.values)

        file.visititems(visit)


if __name__ == "__main__":
    main()
