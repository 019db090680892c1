"""The release scripts/release made in dist/release/: checksums, the OCI image index (one
FROM scratch image per platform with bantam alone), and a byte-identical rebuild from a
clean clone."""
import gzip
import hashlib
import io
import json
import subprocess
import tarfile

import pytest

from conftest import PLATFORMS, ROOT

RELEASE = ROOT / "dist" / "release"
# The platforms built, in the order of scripts/platforms: what the release must hold.
BUILT = {name: row[0] for name, row in PLATFORMS.items() if (ROOT / "dist" / f"bantam-{name}").exists()}


def archive():
    found = sorted(RELEASE.glob("bantam-*.oci.tar"))
    assert len(found) == 1, f"one OCI archive in {RELEASE} (scripts/release makes it): {found}"
    return found[0]


def test_every_built_platform_has_its_binary_and_a_checksum_line():
    expected = [f"bantam-{platform.replace('/', '-')}" for platform in BUILT.values()] + [archive().name]
    lines = (RELEASE / "SHA256SUMS").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == expected
    assert sorted(p.name for p in RELEASE.iterdir()) == sorted(expected + ["SHA256SUMS"])
    for name, platform in BUILT.items():
        assert (RELEASE / f"bantam-{platform.replace('/', '-')}").read_bytes() == \
            (ROOT / "dist" / f"bantam-{name}").read_bytes()
    r = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=RELEASE, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr


def oci_blobs():
    """The OCI archive's files, by name (blobs/sha256/<digest>, index.json)."""
    with tarfile.open(archive()) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def blob(files, descriptor):
    data = files["blobs/sha256/" + descriptor["digest"].split(":")[1]]
    assert "sha256:" + hashlib.sha256(data).hexdigest() == descriptor["digest"]
    return data


def platform_of(fields):
    """os/architecture[/variant] of an index entry's platform or of an image configuration."""
    return "/".join(filter(None, [fields["os"], fields["architecture"], fields.get("variant")]))


def test_image_index_holds_bantam_alone_for_every_platform():
    raw = subprocess.run(["skopeo", "inspect", "--raw", f"oci-archive:{archive()}"], capture_output=True,
                         text=True, timeout=60, check=True).stdout
    index = json.loads(raw)
    assert index["mediaType"] == "application/vnd.oci.image.index.v1+json"
    listed = [platform_of(m["platform"]) for m in index["manifests"]]
    assert listed == list(BUILT.values())

    files = oci_blobs()
    version = next(line.split('"')[1] for line in (ROOT / "Cargo.toml").read_text().splitlines()
                   if line.startswith("version = "))
    for descriptor, name in zip(index["manifests"], BUILT):
        manifest = json.loads(blob(files, descriptor))
        config = json.loads(blob(files, manifest["config"]))
        assert platform_of(config) == BUILT[name]  # the configuration's own, too
        assert config["config"]["Entrypoint"] == ["/bantam"]
        assert config["config"]["Cmd"] == ["-P"]
        labels = config["config"]["Labels"]
        assert labels["org.opencontainers.image.version"] == version
        assert labels["org.opencontainers.image.title"] == "bantam"
        for key, value in labels.items():
            if key.startswith("org.opencontainers.image."):
                assert manifest["annotations"][key] == value, key
        layer, = manifest["layers"]
        with tarfile.open(fileobj=io.BytesIO(gzip.decompress(blob(files, layer)))) as tar:
            members = [m for m in tar.getmembers() if m.name.strip("/") not in ("", ".")]
            assert [m.name.lstrip("./") for m in members] == ["bantam"]
            assert members[0].mode & 0o111
            assert tar.extractfile(members[0]).read() == (ROOT / "dist" / f"bantam-{name}").read_bytes()


@pytest.mark.timeout(2400)
def test_rebuild_from_a_clean_clone_is_byte_identical(rebuild):
    # The same release, binaries and OCI archive, from the clone's own build (conftest).
    assert (rebuild / "dist" / "release" / "SHA256SUMS").read_text() == (RELEASE / "SHA256SUMS").read_text()
