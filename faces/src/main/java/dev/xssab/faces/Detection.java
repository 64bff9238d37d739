package dev.xssab.faces;

/** A face box in image pixels (corner form) with the detector's confidence. */
public record Detection(float x1, float y1, float x2, float y2, float score) {
    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return Math.max(0, width()) * Math.max(0, height());
    }

    public float iou(Detection o) {
        float iw = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        float ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        return inter / (area() + o.area() - inter);
    }
}
