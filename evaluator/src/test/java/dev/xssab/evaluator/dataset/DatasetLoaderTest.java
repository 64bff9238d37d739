package dev.xssab.evaluator.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three layouts, on generated fixtures. */
class DatasetLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void lfwLayoutWithTenFoldPairsTxt() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("lfw"));
        for (String person : new String[] {"Ada_Lovelace", "Alan_Turing", "Grace_Hopper"}) {
            Path dir = Files.createDirectories(root.resolve(person));
            for (int i = 1; i <= 2; i++) {
                Files.write(dir.resolve(String.format("%s_%04d.jpg", person, i)), new byte[] {1});
            }
        }
        // "10 300" in real LFW; a 2-fold, 1-pair-each file has the same shape.
        Files.writeString(root.resolve("pairs.txt"), "2\t1\nAda_Lovelace\t1\t2\nAda_Lovelace\t1\tAlan_Turing\t2\n"
                + "Grace_Hopper\t1\t2\nAlan_Turing\t1\tGrace_Hopper\t1\n");
        Dataset d = DatasetLoader.load("lfw:" + root);
        assertEquals(4, d.pairs().size());
        assertEquals(2, d.pairs().stream().filter(Dataset.Pair::genuine).count());
        Dataset.Pair first = d.pairs().get(0);
        assertEquals(root.resolve("Ada_Lovelace/Ada_Lovelace_0001.jpg"), d.images().get(first.first()).file());
        assertEquals(root.resolve("Ada_Lovelace/Ada_Lovelace_0002.jpg"), d.images().get(first.second()).file());
        Dataset.Pair impostor = d.pairs().get(1);
        assertEquals(first.first(), impostor.first(), "an image used twice is one image");
        assertEquals("Alan_Turing", d.images().get(impostor.second()).identity());
        assertEquals(6, d.images().size(), "Ada 1,2; Alan 1,2; Grace 1,2");
    }

    @Test
    void csvIdentitiesAreConnectedComponentsOfYesPairs() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("csv"));
        Files.writeString(dir.resolve("pairs.csv"), "file_x,file_y,Decision\n1.jpg,2.jpg,Yes\n2.jpg,3.jpg,Yes\n"
                + "1.jpg,4.jpg,No\n4.jpg,5.jpg,Yes\n6.jpg,1.jpg,No\n");
        Dataset d = DatasetLoader.load("csv:" + dir);
        java.util.Map<String, String> id = new java.util.HashMap<>();
        d.images().forEach(i -> id.put(i.file().getFileName().toString(), i.identity()));
        assertEquals(id.get("1.jpg"), id.get("3.jpg"), "1-2-3 are one person through 2");
        assertEquals(id.get("4.jpg"), id.get("5.jpg"));
        assertNotEquals(id.get("1.jpg"), id.get("4.jpg"));
        assertNotEquals(id.get("6.jpg"), id.get("1.jpg"));
        assertEquals(3, d.pairs().stream().filter(Dataset.Pair::genuine).count());
    }

    @Test
    void referenceLayoutAndClearErrors() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ref"));
        Files.writeString(dir.resolve("pairs.txt"), "0.jpg 1.jpg 1\n0.jpg 2.jpg -1\n");
        Dataset d = DatasetLoader.load("ref:" + dir);
        assertEquals(2, d.pairs().size());
        assertTrue(d.pairs().get(0).genuine());
        Files.writeString(dir.resolve("pairs.txt"), "0.jpg 1.jpg yes\n");
        assertThrows(IllegalArgumentException.class, () -> DatasetLoader.load("ref:" + dir));
        assertThrows(IllegalArgumentException.class, () -> DatasetLoader.load(dir.toString()));
        assertThrows(IllegalArgumentException.class, () -> DatasetLoader.load("zip:" + dir));
    }
}
