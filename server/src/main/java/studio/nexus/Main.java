package studio.nexus;
public class Main { public static void main(String[] a) {} }
