/**
 * HELD-OUT part of the unseen-layouts evaluation (see ./spec.ts). Written and committed before any
 * tuning of the answerer; never tune against it. Report it beside the development part.
 */
import type { EvaluationPart } from './spec.js';

export const HELD_OUT: EvaluationPart = {
  manuals: [
    {
      id: 'heldout-espresso',
      title: 'Barista Duo Espresso Machine — Owner Manual',
      layout: 'pdfkit-columns',
      numbering: 'step',
      sections: [
        {
          heading: 'Specifications',
          paragraphs: [
            'The Barista Duo has a 1.8 litre removable water tank, a 15 bar pump and a stainless steel boiler heated by a 1,450 W element. The steam wand swivels through 180 degrees.',
            'The machine weighs 7.9 kg without water. Operating voltage is 220–240 V at 50/60 Hz.',
          ],
        },
        {
          heading: 'Descaling the machine',
          intro:
            'Dissolve one sachet of descaling powder in one litre of lukewarm water and pour the solution into the empty water tank.',
          steps: [
            'Place a container of at least 1.5 litres under the group head and another under the steam wand.',
            'Press and hold the CLEAN and STEAM buttons together for five seconds until both lights flash orange.',
            'Open the steam knob by half a turn; the machine pumps the solution alternately through the group head and the steam wand.',
            'When the lights stop flashing, close the steam knob, empty both containers and rinse the water tank thoroughly.',
            'Fill the tank with fresh water up to the MAX mark and press CLEAN once to rinse the circuits.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'The solution leaves the steam wand at more than 90 °C. Keep hands and face away from the wand and the group head while the programme runs.',
              at: 2,
            },
            {
              kind: 'NOTE',
              text: 'Never use vinegar or citric acid from the kitchen cupboard: they attack the seals of the boiler and void the warranty.',
              at: 5,
            },
          ],
          after: 'The descaling programme takes about 25 minutes, including the rinse.',
          questions: ['How do I descale the espresso machine?', 'what are the steps to remove limescale'],
        },
        {
          heading: 'Replacing the water filter',
          intro: 'Replace the filter cartridge every two months, or when the FILTER light comes on.',
          steps: [
            'Soak the new cartridge in cold water for five minutes, holding it upside down so the air escapes.',
            'Turn the date ring on the cartridge to show the month two months from now.',
            'Push the cartridge firmly into the holder at the bottom of the water tank until it clicks.',
            'Hold the FILTER button for three seconds to reset the reminder.',
          ],
          cautions: [
            {
              kind: 'IMPORTANT',
              text: 'Run two full cups of hot water through the group head before making coffee, to flush out loose carbon particles from the new cartridge.',
              at: 4,
            },
          ],
          questions: ['How do I change the water filter cartridge?'],
        },
        {
          heading: 'Adjusting the grind size',
          intro: 'The grinder has 18 settings, from 1 (finest) to 18 (coarsest).',
          steps: [
            'Switch the grinder on and let it run empty for two seconds.',
            'Turn the grind selector one setting at a time while the grinder runs.',
            'Pull a test shot and check that 18 g of coffee gives about 36 g of espresso in 25 to 30 seconds.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'Only turn the selector while the grinder is running. Turning it when the grinder is stopped can jam the burrs with old coffee.',
              at: 1,
            },
          ],
          questions: ['how can I make the grind finer'],
        },
        {
          heading: 'Warranty',
          paragraphs: [
            'The machine is covered for two years from the date of purchase. The warranty does not cover damage caused by scale, by the use of unsuitable descaling agents or by repairs carried out by unauthorised people.',
          ],
        },
      ],
    },
    {
      id: 'heldout-router',
      title: 'NetLink AX3000 Wireless Router — User Guide',
      layout: 'chromium-single',
      numbering: 'dot',
      sections: [
        {
          heading: 'Package contents',
          paragraphs: [
            'The box contains the AX3000 router, a 12 V power adapter, a 1.5 m Ethernet cable and a quick start card. The label on the base shows the default network name, the Wi-Fi password and the admin password.',
          ],
        },
        {
          heading: 'Updating the firmware manually',
          intro:
            'Download the latest firmware file for your hardware version from the support site and copy it to a computer that is connected to the router with an Ethernet cable.',
          steps: [
            'Open a browser and go to http://192.168.50.1, then sign in with the admin password.',
            'Go to Administration > Firmware Upgrade and click Upload Firmware.',
            'Select the file you downloaded and click Upgrade.',
            'Wait until the status light turns solid white and the page shows Upgrade complete.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Do not switch off the router or disconnect the cable during the upgrade. An interrupted upgrade can leave the router unable to start.',
              at: 3,
            },
            {
              kind: 'NOTE',
              text: 'Your settings are kept. If the router does not start after the upgrade, hold the RESET button for 30 seconds to start the recovery loader.',
              at: 4,
            },
          ],
          after: 'The upgrade takes about three minutes and the router restarts twice.',
          questions: ['How do I update the router firmware?', 'how to upgrade the firmware manually'],
        },
        {
          heading: 'Restoring the factory settings',
          intro: 'Use a factory reset when you have forgotten the admin password or the router no longer responds.',
          steps: [
            'Leave the router switched on and wait until the status light is solid.',
            'Press and hold the recessed RESET button on the back with a paper clip for ten seconds.',
            'Release the button when the status light blinks amber.',
            'Connect to the network name printed on the label and set up the router again.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'A factory reset erases every setting, including the Wi-Fi name and password, port forwarding rules and parental controls. Export a backup from Administration > Settings first.',
              at: 0,
            },
          ],
          questions: ['How do I factory reset the router?'],
        },
        {
          heading: 'Wireless standards',
          paragraphs: [
            'The router supports Wi-Fi 6 (802.11ax) on both the 2.4 GHz and 5 GHz bands, with a combined speed of up to 3,000 Mbit/s. Older devices connect using 802.11n or 802.11ac.',
          ],
        },
        {
          heading: 'Setting up a guest network',
          intro: 'A guest network gives visitors Internet access without access to your own devices.',
          steps: [
            'Sign in to the web interface and open Wireless > Guest Network.',
            'Switch on Enable guest network for the 2.4 GHz band, the 5 GHz band or both.',
            'Enter a network name and a password of at least eight characters.',
            'Choose how long the guest network stays available and click Apply.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'Devices on the guest network cannot see printers or shared folders on your home network, and they cannot open the router settings.',
              at: 4,
            },
          ],
          questions: ['how do I set up a guest wifi network'],
        },
      ],
    },
    {
      id: 'heldout-piano',
      title: 'Stagepiano SP-88 — Owner’s Manual',
      layout: 'chromium-columns',
      numbering: 'paren',
      sections: [
        {
          heading: 'Panel description',
          paragraphs: [
            'The control panel holds the POWER switch, the VOLUME slider, the sound buttons and the FUNCTION button. The rear panel has two headphone jacks, the damper pedal jack, USB to Host and the LINE OUT jacks.',
            'The display shows the selected sound, the metronome tempo and the function being edited.',
          ],
        },
        {
          heading: 'Restoring the factory settings',
          intro: 'You can return every setting of the instrument to the state it was in when it left the factory.',
          steps: [
            'Switch the power off.',
            'While holding the GRAND PIANO and E. PIANO buttons, switch the power on.',
            'Keep holding the buttons until the display shows Factory Set.',
            'Release the buttons and wait until the display shows the piano sound.',
          ],
          cautions: [
            {
              kind: 'IMPORTANT',
              text: 'Factory settings replace your registrations, the touch setting and the recorded songs in internal memory. Save songs you want to keep to a USB flash drive first.',
              at: 0,
            },
            {
              kind: 'NOTE',
              text: 'Never switch off the power while the display shows Factory Set; the internal memory could be damaged.',
              at: 4,
            },
          ],
          after: 'The reset takes about ten seconds.',
          questions: ['How do I reset the piano to factory settings?'],
        },
        {
          heading: 'Pairing a tablet over Bluetooth MIDI',
          intro: 'Switch on Bluetooth on your tablet and open the music app you want to use with the piano.',
          steps: [
            'Hold the FUNCTION button and press the key marked BT on the panel label (the lowest C#).',
            'Check that the Bluetooth light on the panel blinks blue.',
            'In the app’s MIDI settings, select SP-88 BLE from the list of devices.',
            'When the Bluetooth light stays lit, play a few notes to confirm that the app receives them.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'Do not pair the piano in the tablet’s system Bluetooth settings. Pair it from inside the app only; otherwise the app cannot find it.',
              at: 3,
            },
          ],
          questions: ['how do I connect my ipad over bluetooth midi'],
        },
        {
          heading: 'Changing the touch response',
          intro: 'The touch setting decides how the volume follows the force with which you play.',
          steps: [
            'Hold the FUNCTION button and press the key marked TOUCH (the lowest A).',
            'Press the key again to step through LIGHT, MEDIUM, HEAVY and FIXED.',
            'Release the FUNCTION button to store the setting.',
          ],
          cautions: [],
          questions: ['how do I make the keys lighter to play'],
        },
      ],
    },
    {
      id: 'heldout-vacuum',
      title: 'CleanBot R7 Robot Vacuum — Maintenance Guide',
      layout: 'pdfkit-single',
      numbering: 'alpha',
      sections: [
        {
          heading: 'About the R7',
          paragraphs: [
            'The R7 maps your home with a laser sensor and cleans room by room. It returns to the dock to recharge and continues where it stopped. A full charge lasts about 150 minutes on hard floors.',
            'The dock empties the dust bin into a 2.5 litre bag automatically after every run.',
          ],
        },
        {
          heading: 'Replacing the main brush',
          intro: 'Turn the robot over and lay it on a soft cloth so the top cover is not scratched.',
          steps: [
            'Press the two yellow tabs on the brush guard and lift the guard off.',
            'Lift the main brush out by its square end and pull it out of the round bearing.',
            'Cut away any hair wound round the brush ends, or fit a new brush if the bristles are worn.',
            'Insert the round end of the brush first, then press the square end into its socket.',
            'Refit the brush guard and press it until both tabs click.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Switch the robot off with the power switch under the bumper before you turn it over. The brush can start if the app sends a cleaning job.',
              at: 0,
            },
            {
              kind: 'NOTE',
              text: 'Replace the main brush every six to twelve months. Worn bristles leave dust along skirting boards.',
              at: 5,
            },
          ],
          after: 'Changing the brush takes about five minutes.',
          questions: ['How do I replace the main brush?', 'how to change the roller brush'],
        },
        {
          heading: 'Cleaning the cliff sensors',
          intro: 'The four cliff sensors on the underside stop the robot from falling down stairs.',
          steps: [
            'Switch the robot off and turn it over.',
            'Wipe each sensor window with a dry microfibre cloth.',
            'Check that no dust remains in the corners of the windows and turn the robot back over.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'Do not use water, cleaning sprays or alcohol on the sensors. Liquid can get behind the windows and cause the robot to stop at the edge of every rug.',
              at: 2,
            },
          ],
          questions: ['how do I clean the sensors underneath'],
        },
        {
          heading: 'Replacing the dock bag',
          intro: 'The app shows Replace bag when the bag in the dock is full.',
          steps: [
            'Open the lid of the dock.',
            'Pull the cardboard tab of the full bag upward; the tab closes the bag as it comes out.',
            'Slide the cardboard of a new bag into the guides until it stops.',
            'Close the lid.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'The dock does not empty the robot while the lid is open or no bag is fitted.',
              at: 4,
            },
          ],
          questions: ['How do I change the bag in the docking station?'],
        },
      ],
    },
    {
      id: 'heldout-camera',
      title: 'Lumix-style Z50 Mirrorless Camera — Reference Guide',
      layout: 'chromium-columns',
      numbering: 'dot',
      sections: [
        {
          heading: 'Sensor and image quality',
          paragraphs: [
            'The camera uses a 24 megapixel APS-C sensor with a native sensitivity range of ISO 100 to 51,200. Images are recorded as JPEG, RAW or both.',
          ],
        },
        {
          heading: 'Updating the camera firmware',
          intro:
            'Copy the update file to the root folder of a memory card formatted in this camera, then insert the card into slot 1.',
          steps: [
            'Charge the battery fully and insert it into the camera.',
            'Switch the camera on and open SETUP MENU > Firmware version.',
            'Select Update and press OK.',
            'Follow the on-screen instructions; the camera switches itself off when the update is finished.',
            'Remove the battery for five seconds, put it back and check the new version in SETUP MENU > Firmware version.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'Do not open the card slot cover, remove the battery or press any button while the update is running. An interrupted update can make the camera unusable.',
              at: 3,
            },
          ],
          after: 'The update takes about two minutes.',
          questions: ['how do I update the firmware of the camera'],
        },
        {
          heading: 'Cleaning the image sensor',
          intro: 'Dust on the sensor appears as dark spots in pictures taken at small apertures.',
          steps: [
            'Place the camera on a flat surface with the lens mount facing up.',
            'Select SETUP MENU > Clean image sensor > Clean now; the sensor vibrates to shake off dust.',
            'If spots remain, remove the lens and blow the dust off the sensor with a hand blower.',
            'Refit the lens or the body cap at once.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Never touch the sensor or use a blower brush or spray. The sensor surface scratches easily, and damage caused this way is not covered by the warranty.',
              at: 3,
            },
          ],
          questions: ['How do I clean dust off the sensor?'],
        },
        {
          heading: 'Formatting a memory card',
          intro: 'Format cards in the camera before first use and after using them in other devices.',
          steps: [
            'Select SETUP MENU > Format memory card.',
            'Choose the slot of the card to format.',
            'Select Yes and press OK.',
          ],
          cautions: [
            {
              kind: 'IMPORTANT',
              text: 'Formatting deletes all pictures on the card, including protected ones. Copy pictures you want to keep to a computer first.',
              at: 0,
            },
          ],
          questions: ['how do i format the sd card'],
        },
      ],
    },
    {
      id: 'heldout-ebike',
      title: 'Voltaro City E-Bike — Owner’s Handbook',
      layout: 'pdfkit-single',
      numbering: 'paren',
      sections: [
        {
          heading: 'Riding range',
          paragraphs: [
            'With the 500 Wh battery the range is 40 to 120 km, depending on the assistance level, the rider’s weight, the terrain and the temperature. Cold weather reduces the range by up to 30 percent.',
          ],
        },
        {
          heading: 'Removing the battery',
          intro: 'Switch the system off with the button on the display before you remove the battery.',
          steps: [
            'Insert the key into the battery lock below the saddle and turn it clockwise.',
            'Tilt the top of the battery away from the frame.',
            'Lift the battery out of its lower holder, holding it by the handle.',
            'Turn the key back and remove it.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'The battery weighs 3 kg. Hold it with both hands so it cannot fall onto the motor or your feet.',
              at: 2,
            },
          ],
          questions: ['How do I take the battery out?'],
        },
        {
          heading: 'Charging the battery',
          intro: 'Charge the battery on or off the bike at room temperature, between 10 °C and 30 °C.',
          steps: [
            'Connect the charger to the mains socket.',
            'Open the rubber cover of the charging port and plug in the charger.',
            'Watch the lights on the battery: they flash while it charges and go out when it is full.',
            'Unplug the charger from the battery first, then from the mains, and close the cover.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Use only the charger supplied with the bike. Never charge a battery that is damaged, swollen or has been dropped; take it to your dealer.',
              at: 0,
            },
            {
              kind: 'NOTE',
              text: 'For long storage, keep the battery at 30 to 60 percent and check it every three months.',
              at: 4,
            },
          ],
          after: 'A full charge takes about four and a half hours.',
          questions: ['How do I charge the battery?', 'what is the right way to charge the e-bike battery'],
        },
        {
          heading: 'Adjusting the saddle height',
          intro:
            'The saddle is at the right height when your leg is almost straight with the heel on the pedal at its lowest point.',
          steps: [
            'Open the quick-release lever on the seat clamp.',
            'Pull the seat post up or push it down to the height you need.',
            'Align the saddle with the top tube and close the lever firmly.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Never pull the seat post out beyond the MIN INSERT mark. The post or the frame can break while you ride.',
              at: 2,
            },
          ],
          questions: ['how do I raise the saddle'],
        },
      ],
    },
  ],
  followUps: [
    {
      manual: 'heldout-espresso',
      first: 'How do I descale the espresso machine?',
      followUp: 'and how long does that take?',
      expect: 'about 25 minutes',
    },
    {
      manual: 'heldout-router',
      first: 'How do I update the router firmware?',
      followUp: 'how long does it take?',
      expect: 'about three minutes',
    },
    {
      manual: 'heldout-piano',
      first: 'How do I reset the piano to factory settings?',
      followUp: 'how long does that take?',
      expect: 'about ten seconds',
    },
    {
      manual: 'heldout-vacuum',
      first: 'How do I replace the main brush?',
      followUp: 'what about the bag in the dock?',
      expect: 'Pull the cardboard tab of the full bag upward',
    },
    {
      manual: 'heldout-camera',
      first: 'How do I update the firmware of the camera?',
      followUp: 'and how long will it take?',
      expect: 'about two minutes',
    },
    {
      manual: 'heldout-ebike',
      first: 'How do I charge the battery?',
      followUp: 'how long does that take?',
      expect: 'about four and a half hours',
    },
    {
      manual: 'heldout-ebike',
      first: 'How do I charge the battery?',
      followUp: 'and how do I take it out?',
      expect: 'Tilt the top of the battery away from the frame',
    },
    {
      manual: 'heldout-router',
      first: 'How do I factory reset the router?',
      followUp: 'what about the guest network?',
      expect: 'open Wireless > Guest Network',
    },
  ],
  absent: [
    { manual: 'heldout-espresso', question: 'How do I connect the machine to my wifi?' },
    { manual: 'heldout-espresso', question: 'how do I program a timer to switch on in the morning' },
    { manual: 'heldout-router', question: 'How do I set up a VPN server on the router?' },
    { manual: 'heldout-router', question: 'how do I mount the router on a wall' },
    { manual: 'heldout-piano', question: 'How do I record audio to a USB stick?' },
    { manual: 'heldout-piano', question: 'how do I tune the piano to a=432 hz' },
    { manual: 'heldout-vacuum', question: 'How do I mop the floor with the robot?' },
    { manual: 'heldout-vacuum', question: 'how do I replace the battery of the robot' },
    { manual: 'heldout-camera', question: 'How do I shoot a timelapse video?' },
    { manual: 'heldout-camera', question: 'how do I connect the camera to my phone' },
    { manual: 'heldout-ebike', question: 'How do I adjust the brakes?' },
    { manual: 'heldout-ebike', question: 'how do I fix a flat tyre' },
  ],
};
