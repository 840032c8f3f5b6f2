"""Validates Kubernetes documents against their schemas; used by tests/deploy/k8s.int.test.ts.

Reads one JSON object on standard input:
  {"kubernetesVersion": "1.33",
   "crds": [{"path": "<a CRD YAML file>"} | {"jar": "<a jar or zip>", "prefix": "crds/v1/"}],
   "documents": [<resource>, ...]}
and writes {"results": [{"schema": "...", "errors": ["<path>: <message>", ...]}, ...]}, one result
per document, in order.

- Built-in kinds: kubernetes-validate (PyPI) in strict mode, against the JSON schemas it ships for
  that Kubernetes version (generated from the API server's OpenAPI document): an unknown field is
  an error, as it is for `kubectl apply` (field validation Strict).
- Custom resources: the openAPIV3Schema of the matching version in the given CRDs, made strict the
  way the API server treats it (an unknown field, one the server would prune, is an error; `nullable`
  and `x-kubernetes-int-or-string` honoured), with jsonschema; `metadata` against the Kubernetes
  ObjectMeta schema. CEL rules (x-kubernetes-validations) are not evaluated.
- A document whose kind has no schema at all is an error, never skipped.
"""

import copy
import json
import sys
import zipfile

import jsonschema
import kubernetes_validate
import yaml
from kubernetes_validate import utils
from referencing import Registry, Resource

OBJECT_META = "https://kubernetes.io/api/_definitions.json#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


def strict(schema, structural=True):
    """A copy of a CRD schema in which objects refuse unknown fields, as the API server prunes them.

    `structural` is false inside anyOf/allOf/oneOf/not branches, which only add value validation
    in a structural schema and so must not close the object.
    """
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {name: strict(sub, structural) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = strict(value, structural)
        elif key in ("anyOf", "allOf", "oneOf"):
            out[key] = [strict(sub, False) for sub in value]
        elif key == "not":
            out[key] = strict(value, False)
        else:
            out[key] = value
    if out.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if out.get("x-kubernetes-int-or-string") and "anyOf" not in out:
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if out.get("x-kubernetes-embedded-resource"):
        props = out.setdefault("properties", {})
        for name in ("apiVersion", "kind"):
            props.setdefault(name, {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
    if (
        structural
        and out.get("type") == "object"
        and "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def load_crds(sources):
    """(apiVersion, kind) -> (CRD name, strict schema) for every served version of every CRD."""
    found = {}

    def add(text, origin):
        for crd in yaml.safe_load_all(text):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            spec = crd["spec"]
            for version in spec["versions"]:
                if not version.get("served", True):
                    continue
                schema = copy.deepcopy(version["schema"]["openAPIV3Schema"])
                # The root's metadata is checked against ObjectMeta instead (the CRD says only "object").
                schema.get("properties", {}).pop("metadata", None)
                schema.setdefault("properties", {})["metadata"] = {"type": "object"}
                for name in ("apiVersion", "kind"):
                    schema["properties"].setdefault(name, {"type": "string"})
                key = (f"{spec['group']}/{version['name']}", spec["names"]["kind"])
                found[key] = (f"{crd['metadata']['name']} {version['name']} ({origin})", strict(schema))

    for source in sources:
        if "path" in source:
            with open(source["path"], encoding="utf-8") as handle:
                add(handle.read(), source["path"])
        else:
            with zipfile.ZipFile(source["jar"]) as jar:
                for member in sorted(jar.namelist()):
                    if member.startswith(source["prefix"]) and member.endswith((".yaml", ".yml")):
                        add(jar.read(member).decode("utf-8"), f"{source['jar']}!{member}")
    return found


def definitions(version):
    """The Kubernetes definitions (strict) of the schema version kubernetes-validate picks."""
    wanted = utils.major_minor(version)
    chosen = [v for v in utils.all_versions() if utils.major_minor(v) <= wanted][-1]
    return utils.schema_contents(f"kubernetes-json-schema/v{chosen}-local-strict/_definitions.json", version)


def error_text(error):
    path = "/".join(str(part) for part in error.absolute_path)
    return f"{path or '(root)'}: {error.message}"


def main():
    request = json.load(sys.stdin)
    version = request["kubernetesVersion"]
    crds = load_crds(request.get("crds", []))
    defs = Resource.from_contents(definitions(version))
    registry = defs @ Registry()
    meta_validator = jsonschema.Draft202012Validator({"$ref": OBJECT_META}, registry=registry)
    results = []
    for document in request["documents"]:
        key = (document.get("apiVersion"), document.get("kind"))
        if key in crds:
            name, schema = crds[key]
            validator = jsonschema.Draft202012Validator(schema)
            errors = [error_text(e) for e in validator.iter_errors(document)]
            errors += [
                f"metadata/{error_text(e)}" for e in meta_validator.iter_errors(document.get("metadata", {}))
            ]
            results.append({"schema": f"CRD {name}", "errors": sorted(errors)})
            continue
        try:
            checked = utils.validate(document, version, strict=True)
            results.append({"schema": f"Kubernetes {checked} (strict)", "errors": []})
        except utils.ValidationError as error:
            path = "/".join(str(part) for part in error.path)
            results.append(
                {"schema": f"Kubernetes {error.version} (strict)", "errors": [f"{path or '(root)'}: {error.message}"]}
            )
        except utils.SchemaNotFoundError:
            results.append({"schema": "none", "errors": [f"no schema for {key[1]} in {key[0]}"]})
    json.dump({"validator": f"kubernetes-validate {kubernetes_validate.__version__}", "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
